/**
 * What both KV providers do with a full listing: the pairs under the root key become one
 * dynamic configuration through the generic flat-key parser. A bad key leaves out only the
 * object it belongs to; its error names the key, and is logged when it first appears rather
 * than on every re-list.
 */
import type { Logger } from '../../../src/log/logger.js';
import { kvEntries } from '../flat-config/kv-entries.js';
import { parseFlatConfig } from '../flat-config/parse-flat-config.js';
import type { ConfigMessage } from '../provider.js';

export class KvSnapshot {
  readonly #provider: string;
  readonly #rootKey: string;
  #loggedErrors = new Set<string>();

  constructor(provider: string, rootKey: string) {
    this.#provider = provider;
    this.#rootKey = rootKey;
  }

  message(pairs: Iterable<readonly [string, string]>, logger: Logger): ConfigMessage {
    const { config, errors } = parseFlatConfig(kvEntries(pairs, this.#rootKey), {
      source: `${this.#provider} under ${this.#rootKey}/`,
      noun: 'key',
      spell: (path) => [this.#rootKey, ...path].join('/'),
    });
    const seen = new Set<string>();
    for (const error of errors) {
      seen.add(error.message);
      if (!this.#loggedErrors.has(error.message)) logger.error({ err: error }, error.message);
    }
    this.#loggedErrors = seen;
    return { provider: this.#provider, documents: [{ value: config }] };
  }
}

/**
 * Runs `relist` for each change signal, one at a time: signals that arrive during a run fold
 * into one more run, so a burst of writes costs two listings, not one per key.
 */
export class CoalescedRelist {
  #running = false;
  #again = false;
  readonly #relist: () => Promise<void>;

  constructor(relist: () => Promise<void>) {
    this.#relist = relist;
  }

  request(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    void this.#relist().finally(() => {
      this.#running = false;
      if (this.#again) {
        this.#again = false;
        this.request();
      }
    });
  }
}
