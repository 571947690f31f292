/**
 * How a provider waits after losing its backend, one rule for every provider (the HTTP poller,
 * etcd, Redis, the Docker Engine): exponential backoff with "equal jitter", half fixed, half
 * random, so that proxies which lost the same backend together do not all come back in the
 * same instant.
 */

export interface BackoffOptions {
  /** First wait after a failure (ms). */
  initialMs: number;
  /** Longest wait between retries (ms). */
  maxMs: number;
  /** Growth of the wait after each failure in a row; 2 by default. */
  multiplier?: number;
}

/** initialMs × multiplier^(failures-1), capped, with equal jitter. */
export function backoffDelay(backoff: BackoffOptions, multiplier: number, failures: number): number {
  const exponential = backoff.initialMs * multiplier ** Math.max(0, failures - 1);
  const capped = Math.min(backoff.maxMs, exponential);
  return capped / 2 + (Math.random() * capped) / 2;
}

/**
 * The same rule for a loop that counts its own failures: 250 ms doubling to 30 s by default.
 * `reset()` after a success.
 */
export class RetryBackoff {
  #failures = 0;
  readonly #backoff: BackoffOptions;

  constructor(initialMs = 250, maxMs = 30_000) {
    this.#backoff = { initialMs, maxMs };
  }

  nextDelayMs(): number {
    this.#failures++;
    return backoffDelay(this.#backoff, 2, this.#failures);
  }

  reset(): void {
    this.#failures = 0;
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
