import { describe, expect, it } from 'vitest';
import { needsRenewal, renewalSchedule } from '../../../../proxy/acme/renewal-schedule.js';

const hour = 3_600_000;
const day = 24 * hour;

describe('renewalSchedule', () => {
  it("follows Traefik's table from certificatesDuration", () => {
    expect(renewalSchedule(2160)).toEqual({ renewBeforeMs: 30 * day, checkIntervalMs: day });
    expect(renewalSchedule(365 * 24)).toEqual({ renewBeforeMs: 120 * day, checkIntervalMs: 7 * day });
    expect(renewalSchedule(30 * 24)).toEqual({ renewBeforeMs: 10 * day, checkIntervalMs: 12 * hour });
    expect(renewalSchedule(7 * 24)).toEqual({ renewBeforeMs: 2 * day, checkIntervalMs: 2 * hour });
    expect(renewalSchedule(24)).toEqual({ renewBeforeMs: 6 * hour, checkIntervalMs: 10 * 60_000 });
    expect(renewalSchedule(1)).toEqual({ renewBeforeMs: 20 * 60_000, checkIntervalMs: 60_000 });
  });

  it('renews inside the period, and certificates it cannot read', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const schedule = renewalSchedule(2160);
    expect(needsRenewal(new Date(now.getTime() + 29 * day), now, schedule)).toBe(true);
    expect(needsRenewal(new Date(now.getTime() + 31 * day), now, schedule)).toBe(false);
    expect(needsRenewal(undefined, now, schedule)).toBe(true);
  });
});
