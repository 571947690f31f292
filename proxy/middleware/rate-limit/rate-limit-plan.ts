/**
 * Derived numbers for Traefik's rateLimit: `average` requests per `period`, with `burst`.
 * Requests over the rate are delayed by at most `maxDelayMs` (so short bursts are smoothed
 * rather than refused); beyond that they get 429 with Retry-After, as in Traefik.
 */
export interface RateLimitPlan {
  /** Tokens per millisecond; Infinity means no limit (`average: 0`). */
  ratePerMs: number;
  burst: number;
  maxDelayMs: number;
  /** How long an idle source's bucket is kept: a full bucket carries no information. */
  idleTtlMs: number;
}

export function planRateLimit(average: number, periodMs: number, burst: number): RateLimitPlan {
  if (average <= 0 || periodMs <= 0)
    return { ratePerMs: Number.POSITIVE_INFINITY, burst, maxDelayMs: 0, idleTtlMs: 0 };
  const perSecond = (average * 1000) / periodMs;
  // Below one request per second half a second is the most worth waiting; above, half an interval.
  const maxDelayMs = perSecond < 1 ? 500 : 1000 / (Math.floor(perSecond) * 2);
  // Long enough for an idle bucket to refill completely, plus a second of slack.
  const idleTtlMs = 1000 + Math.ceil((Math.max(burst, 1) / perSecond) * 1000);
  return { ratePerMs: perSecond / 1000, burst, maxDelayMs, idleTtlMs };
}
