/**
 * Logs a backend outage once, not on every retry, and its end once; the retries in between go
 * to the debug level. The provider keeps its last configuration in service meanwhile, and the
 * log says so. Every provider with a remote backend (an HTTP endpoint, etcd, Redis, the Docker
 * Engine) reports through this one class, so an outage reads the same whichever it is.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';

export class OutageLog {
  #down = false;
  #failures = 0;
  readonly #logger: Logger;
  readonly #backend: string;

  /** `backend` names it for the logs: an endpoint without credentials. */
  constructor(logger: Logger, backend: string) {
    this.#logger = logger;
    this.#backend = backend;
  }

  get down(): boolean {
    return this.#down;
  }

  /** Failures in a row since the last recovery: what the backoff grows with. */
  get failures(): number {
    return this.#failures;
  }

  failed(error: unknown): void {
    const backend = this.#backend;
    this.#failures++;
    if (this.#down) {
      this.#logger.debug(
        { backend, failures: this.#failures, reason: (error as Error)?.message },
        `${backend} is still unreachable`,
      );
      return;
    }
    this.#down = true;
    const reason = error instanceof Error ? error.message : String(error);
    const outage = new AffineurError(
      'AFF_ERR_PROXY_PROVIDER_UNREACHABLE',
      `cannot read the configuration from ${backend}: ${reason}`,
      {
        hint: 'The last good configuration stays in service; retrying with backoff. Check the endpoint and what it answers.',
        cause: error,
      },
    );
    this.#logger.error({ err: outage, backend }, outage.message);
  }

  /** The whole configuration was read again. */
  recovered(): void {
    this.#failures = 0;
    if (!this.#down) return;
    this.#down = false;
    const backend = this.#backend;
    this.#logger.info({ backend }, `${backend} is reachable again; its whole configuration was read again`);
  }
}
