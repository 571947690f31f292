import type { RateLimitPlan } from './rate-limit-plan.js';

/** `allowed` with the delay to wait first (0 when a token was ready), or refused with when to retry. */
export type Reservation = { allowed: true; delayMs: number } | { allowed: false; retryAfterMs: number };

export interface BucketState {
  tokens: number;
  /** Time of the last update, in ms. */
  updatedAt: number;
}

/**
 * One reservation against a token bucket, as a pure step: the caller stores the new state.
 * Tokens refill continuously at the plan's rate up to `burst`; a reservation may drive the
 * count negative, which is the queue of delayed requests, within `maxDelayMs`.
 */
export function reserveToken(
  state: BucketState | undefined,
  plan: RateLimitPlan,
  now: number,
): { reservation: Reservation; state: BucketState } {
  if (plan.ratePerMs === Number.POSITIVE_INFINITY) {
    return { reservation: { allowed: true, delayMs: 0 }, state: { tokens: plan.burst, updatedAt: now } };
  }
  const previous = state ?? { tokens: plan.burst, updatedAt: now };
  const elapsed = Math.max(0, now - previous.updatedAt);
  const available = Math.min(plan.burst, previous.tokens + elapsed * plan.ratePerMs);
  if (plan.burst < 1) {
    return {
      reservation: { allowed: false, retryAfterMs: 1000 },
      state: { tokens: available, updatedAt: now },
    };
  }
  const remaining = available - 1;
  const delayMs = remaining < 0 ? -remaining / plan.ratePerMs : 0;
  if (delayMs > plan.maxDelayMs) {
    return {
      reservation: { allowed: false, retryAfterMs: delayMs },
      state: { tokens: available, updatedAt: now },
    };
  }
  return { reservation: { allowed: true, delayMs }, state: { tokens: remaining, updatedAt: now } };
}
