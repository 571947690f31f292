/**
 * A provider turns some source of routing config (files, a KV store, an HTTP endpoint) into a
 * stream of messages. It never validates or merges: the watcher does that for all providers.
 */
import type { LineLocator } from '../../src/config/locate-key.js';
import type { Logger } from '../../src/log/logger.js';

/** One parsed document, e.g. one file of a directory. */
export interface ConfigDocument {
  /** The file the document came from, for error messages. */
  file?: string;
  value: unknown;
  locate?: LineLocator;
}

/** The whole current configuration of one provider; each message replaces the previous one. */
export interface ConfigMessage {
  provider: string;
  documents: readonly ConfigDocument[];
}

export interface Provider {
  /** The provider namespace, the part after `@` in qualified names (`file`, `redis`, ...). */
  readonly name: string;
  /**
   * Emits the current configuration, then keeps emitting on changes until `signal` aborts.
   * Resolves once the first configuration has been emitted (or could not be read, which is
   * logged: the proxy then serves what other providers give).
   */
  start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void>;
}
