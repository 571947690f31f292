/**
 * When a certificate is renewed, from the resolver's `certificatesDuration` (hours): Traefik's
 * table, so that 90-day certificates renew 30 days before expiry and short-lived ones keep the
 * same proportion (a 1-hour certificate renews in its last 20 minutes, checked every minute).
 */
const hour = 3_600_000;
const day = 24 * hour;

export interface RenewalSchedule {
  /** Renew when the certificate expires within this many milliseconds. */
  renewBeforeMs: number;
  /** How often the resolver checks its certificates. */
  checkIntervalMs: number;
}

export function renewalSchedule(certificatesDurationHours: number): RenewalSchedule {
  const h = certificatesDurationHours;
  if (h >= 365 * 24) return { renewBeforeMs: 4 * 30 * day, checkIntervalMs: 7 * day };
  if (h >= 3 * 30 * 24) return { renewBeforeMs: 30 * day, checkIntervalMs: day };
  if (h >= 30 * 24) return { renewBeforeMs: 10 * day, checkIntervalMs: 12 * hour };
  if (h >= 6 * 24) return { renewBeforeMs: 2 * day, checkIntervalMs: 2 * hour };
  if (h >= 24) return { renewBeforeMs: 6 * hour, checkIntervalMs: 10 * 60_000 };
  return { renewBeforeMs: 20 * 60_000, checkIntervalMs: 60_000 };
}

/** A certificate that cannot be read is renewed too: it serves nothing as it is. */
export function needsRenewal(notAfter: Date | undefined, now: Date, schedule: RenewalSchedule): boolean {
  return notAfter === undefined || notAfter.getTime() - now.getTime() < schedule.renewBeforeMs;
}
