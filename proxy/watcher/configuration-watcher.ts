/**
 * Collects every provider's stream into one routing configuration. Per provider it drops
 * configurations identical to the last one, and throttles: after applying one, it waits
 * `providersThrottleDuration` and then applies only the latest that arrived meanwhile, so a
 * burst of changes (an editor saving, a deploy touching many keys) costs one rebuild.
 */
import type { ConfigMessage } from '../provider/provider.js';
import { type DynamicObjects, mergeDynamicObjects } from './dynamic-objects.js';
import { readProviderConfig } from './read-provider-config.js';

interface ProviderState {
  lastSeen: string | undefined;
  pending: ConfigMessage | undefined;
  timer: NodeJS.Timeout | undefined;
}

export class ConfigurationWatcher {
  readonly #throttleMs: number;
  readonly #onChange: (config: DynamicObjects) => void;
  readonly #states = new Map<string, ProviderState>();
  readonly #current = new Map<string, DynamicObjects>();
  #closed = false;

  constructor(options: { throttleMs: number; onChange: (config: DynamicObjects) => void }) {
    this.#throttleMs = options.throttleMs;
    this.#onChange = options.onChange;
  }

  /** Hand this to providers as their `emit`. */
  readonly push = (message: ConfigMessage): void => {
    if (this.#closed) return;
    let state = this.#states.get(message.provider);
    if (!state) {
      state = { lastSeen: undefined, pending: undefined, timer: undefined };
      this.#states.set(message.provider, state);
    }
    const fingerprint = fingerprintOf(message);
    if (fingerprint === state.lastSeen) return;
    state.lastSeen = fingerprint;
    if (state.timer) {
      state.pending = message;
      return;
    }
    this.#apply(message);
    this.#startThrottle(message.provider, state);
  };

  close(): void {
    this.#closed = true;
    for (const state of this.#states.values()) clearTimeout(state.timer);
  }

  #startThrottle(provider: string, state: ProviderState): void {
    if (this.#throttleMs <= 0) return;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      const pending = state.pending;
      state.pending = undefined;
      if (pending && !this.#closed) {
        this.#apply(pending);
        this.#startThrottle(provider, state);
      }
    }, this.#throttleMs);
    state.timer.unref();
  }

  #apply(message: ConfigMessage): void {
    this.#current.set(message.provider, readProviderConfig(message));
    this.#onChange(mergeDynamicObjects(this.#current.values()));
  }
}

/** The documents as data: a change of whitespace or comments only is not a change. */
function fingerprintOf(message: ConfigMessage): string {
  return JSON.stringify(message.documents.map((d) => [d.file, d.value]));
}
