/**
 * Exponential backoff with jitter for a provider that lost its backend: 250 ms, doubling to
 * 30 s, each wait drawn in [½, 1] of the step so that many proxies do not reconnect in step.
 * `reset()` after a success. (To be unified with the shared reconnect piece after merge.)
 */
export class RetryBackoff {
  #attempt = 0;
  readonly #initialMs: number;
  readonly #maxMs: number;

  constructor(initialMs = 250, maxMs = 30_000) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
  }

  nextDelayMs(): number {
    const step = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    this.#attempt++;
    return step / 2 + Math.random() * (step / 2);
  }

  reset(): void {
    this.#attempt = 0;
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
