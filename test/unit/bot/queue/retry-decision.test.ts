import { describe, expect, it } from 'vitest';
import { type RetryPolicy, retryDecision } from '../../../../bot/queue/retry-decision.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 };
const now = 1_700_000_000_000;
const answer = (status: number, headers: Record<string, string> = {}, message = 'x') => ({
  status,
  message,
  response: { headers },
});

describe('retryDecision', () => {
  it('retries 5xx answers with exponential backoff', () => {
    expect(retryDecision(answer(502), 1, policy, now)).toMatchObject({ retry: true, delayMs: 1_000 });
    expect(retryDecision(answer(503), 3, policy, now)).toMatchObject({ retry: true, delayMs: 4_000 });
  });

  it('waits at least as long as retry-after asks', () => {
    expect(retryDecision(answer(503, { 'retry-after': '7' }), 1, policy, now)).toMatchObject({
      delayMs: 7_000,
    });
    expect(retryDecision(answer(429, { 'retry-after': '0' }), 2, policy, now)).toMatchObject({
      delayMs: 2_000,
    });
  });

  it('waits for the rate-limit window to reset when the quota is spent', () => {
    const reset = String(now / 1000 + 30);
    const decision = retryDecision(
      answer(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }),
      1,
      policy,
      now,
    );
    expect(decision).toMatchObject({ retry: true, delayMs: 30_000 });
  });

  it('recognises secondary rate limits by their message', () => {
    const decision = retryDecision(
      answer(403, {}, 'You have exceeded a secondary rate limit'),
      1,
      policy,
      now,
    );
    expect(decision.retry).toBe(true);
  });

  it('never waits longer than maxDelayMs', () => {
    expect(retryDecision(answer(503, { 'retry-after': '3600' }), 1, policy, now)).toMatchObject({
      delayMs: 60_000,
    });
  });

  it('does not retry answers that would fail the same way again', () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      expect(retryDecision(answer(status), 1, policy, now).retry).toBe(false);
    }
    expect(retryDecision(new TypeError('x is undefined'), 1, policy, now).retry).toBe(false);
  });

  it('retries network errors that carry no status', () => {
    expect(retryDecision(new Error('fetch failed'), 1, policy, now).retry).toBe(true);
  });

  it('gives up after maxAttempts', () => {
    expect(retryDecision(answer(500), 4, policy, now)).toMatchObject({ retry: false });
  });
});
