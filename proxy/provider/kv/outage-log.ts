/**
 * Logs a backend outage once, not on every retry, and its end once. The provider keeps its
 * last configuration in service meanwhile; the log says so.
 */
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Logger } from '../../../src/log/logger.js';

export class OutageLog {
  #down = false;
  readonly #logger: Logger;
  readonly #backend: string;

  constructor(logger: Logger, backend: string) {
    this.#logger = logger;
    this.#backend = backend;
  }

  get down(): boolean {
    return this.#down;
  }

  failed(error: unknown): void {
    if (this.#down) return;
    this.#down = true;
    const cause = error instanceof Error ? error.message : String(error);
    const wrapped = new AffineurError(
      'AFF_ERR_PROVIDER_BACKEND',
      `${this.#backend} is unreachable or failed: ${cause}.`,
      {
        hint: 'The last configuration stays in service; reconnecting with backoff.',
      },
    );
    this.#logger.error({ err: wrapped }, wrapped.message);
  }

  recovered(): void {
    if (!this.#down) return;
    this.#down = false;
    this.#logger.info(`${this.#backend} is reachable again; configuration resynchronised`);
  }
}
