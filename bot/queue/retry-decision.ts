/**
 * Decides whether a failed event is worth another attempt, and when. Only failures that go away
 * by themselves are retried: GitHub 5xx answers, network errors, and rate limits. Anything else
 * (a 404, a 422, a bug) would fail the same way again.
 */
export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Delay before the second attempt; doubles for each further one. */
  baseDelayMs: number;
  /** No single wait is longer than this, `retry-after` included. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
};

export type RetryDecision =
  | { retry: false; reason: string }
  | { retry: true; delayMs: number; reason: string };

interface HttpFailure {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown> };
}

/**
 * @param attempt the attempt that just failed, starting at 1
 * @param nowMs the current time, for `x-ratelimit-reset` (an epoch in seconds)
 */
export function retryDecision(
  error: unknown,
  attempt: number,
  policy: RetryPolicy,
  nowMs: number,
): RetryDecision {
  const failure = (error ?? {}) as HttpFailure;
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const headers = failure.response?.headers ?? {};
  const kind = failureKind(status, headers, String(failure.message ?? ''));
  if (kind === undefined) return { retry: false, reason: `not retryable (status ${status ?? 'none'})` };
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: `${kind}; gave up after ${attempt} attempt(s)` };
  }
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  const asked = askedDelayMs(headers, nowMs);
  const delayMs = Math.min(policy.maxDelayMs, Math.max(backoff, asked ?? 0));
  return { retry: true, delayMs, reason: kind };
}

function failureKind(
  status: number | undefined,
  headers: Record<string, unknown>,
  message: string,
): string | undefined {
  if (status === 429) return 'rate limited (429)';
  if (status === 403 && (headers['retry-after'] !== undefined || headers['x-ratelimit-remaining'] === '0')) {
    return 'rate limited (403)';
  }
  if (status === 403 && /secondary rate limit/i.test(message)) return 'secondary rate limit (403)';
  if (status !== undefined && status >= 500) return `server error (${status})`;
  // Octokit reports a request that never got an answer (reset, DNS, timeout) with status 500,
  // but plain fetch and git errors carry no status at all.
  if (
    status === undefined &&
    /ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|socket hang up/i.test(message)
  ) {
    return 'network error';
  }
  return undefined;
}

/** The wait GitHub asked for: `retry-after` seconds, else the rate-limit window's reset time. */
function askedDelayMs(headers: Record<string, unknown>, nowMs: number): number | undefined {
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter))
    return Math.max(0, retryAfter * 1000);
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset))
    return Math.max(0, reset * 1000 - nowMs);
  return undefined;
}
