import { describe, expect, it } from 'vitest';
import { MemoryBucketStore } from '../../../../../proxy/middleware/rate-limit/memory-bucket-store.js';
import { planRateLimit } from '../../../../../proxy/middleware/rate-limit/rate-limit-plan.js';
import { reserveToken } from '../../../../../proxy/middleware/rate-limit/token-bucket.js';

describe('rate limit plan', () => {
  it('derives the rate, the longest worthwhile delay and the idle TTL from average, period and burst', () => {
    expect(planRateLimit(100, 1000, 50)).toEqual({
      ratePerMs: 0.1,
      burst: 50,
      maxDelayMs: 5,
      idleTtlMs: 1500,
    });
    expect(planRateLimit(6, 60_000, 1)).toMatchObject({
      ratePerMs: 0.0001,
      maxDelayMs: 500,
      idleTtlMs: 11_000,
    });
  });

  it('means no limit when average is 0', () => {
    expect(planRateLimit(0, 1000, 1).ratePerMs).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('token bucket', () => {
  const plan = planRateLimit(10, 1000, 3); // 10/s, burst 3, up to 50 ms of delay

  it('lets a burst through at once, delays within maxDelay, then refuses with the time to retry', () => {
    let state: Parameters<typeof reserveToken>[0];
    const results = [];
    for (let i = 0; i < 5; i++) {
      const step = reserveToken(state, plan, 1000);
      state = step.state;
      results.push(step.reservation);
    }
    expect(results.slice(0, 3)).toEqual([
      { allowed: true, delayMs: 0 },
      { allowed: true, delayMs: 0 },
      { allowed: true, delayMs: 0 },
    ]);
    // One token every 100 ms: the 4th would wait 100 ms > 50 ms, so it is refused.
    expect(results[3]).toEqual({ allowed: false, retryAfterMs: 100 });
    expect(results[4]).toEqual({ allowed: false, retryAfterMs: 100 });
  });

  it('refills over time, never beyond burst', () => {
    let { state } = reserveToken(undefined, plan, 0);
    state = reserveToken(state, plan, 0).state;
    state = reserveToken(state, plan, 0).state; // empty now
    expect(reserveToken(state, plan, 100).reservation).toEqual({ allowed: true, delayMs: 0 });
    expect(reserveToken(state, plan, 60_000).state.tokens).toBe(2); // refilled to 3, one taken
  });

  it('delays a request that fits within maxDelay instead of refusing it', () => {
    const smooth = planRateLimit(1, 1000, 1); // maxDelay 500 ms
    const first = reserveToken(undefined, smooth, 0);
    expect(reserveToken(first.state, smooth, 600).reservation).toEqual({ allowed: true, delayMs: 400 });
  });

  it('refuses everything when burst is 0, as Traefik does', () => {
    expect(reserveToken(undefined, planRateLimit(10, 1000, 0), 0).reservation.allowed).toBe(false);
  });
});

describe('in-memory bucket store', () => {
  it('keeps one bucket per source', () => {
    let now = 0;
    const store = new MemoryBucketStore(planRateLimit(1, 1000, 1), { now: () => now });
    expect(store.reserve('a').allowed).toBe(true);
    expect(store.reserve('a').allowed).toBe(false);
    expect(store.reserve('b').allowed).toBe(true);
    now = 1000;
    expect(store.reserve('a').allowed).toBe(true);
  });

  it('bounds the number of sources it remembers, dropping those not seen for longest', () => {
    const store = new MemoryBucketStore(planRateLimit(1, 1000, 1), { maxSources: 2, now: () => 0 });
    store.reserve('a');
    store.reserve('b'); // a full generation: {a, b} becomes the previous one
    store.reserve('a'); // moved up to the current generation
    store.reserve('c'); // full again: {a, c} is the previous one, b is dropped
    expect(store.size).toBe(2);
    expect(store.reserve('a').allowed).toBe(false);
    expect(store.reserve('c').allowed).toBe(false);
    expect(store.reserve('b').allowed).toBe(true);
  });

  it('never holds more than twice maxSources, however many sources come', () => {
    const store = new MemoryBucketStore(planRateLimit(1, 1000, 1), { maxSources: 100, now: () => 0 });
    for (let i = 0; i < 10_000; i++) store.reserve(`10.0.${i >> 8}.${i & 255}`);
    expect(store.size).toBeLessThanOrEqual(200);
    expect(store.size).toBeGreaterThanOrEqual(100);
  });
});
