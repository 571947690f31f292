/**
 * `providers.etcd`: Traefik's KV layout under `rootKey` in etcd v3. A watch on the prefix
 * signals changes; each one triggers a full re-list of the prefix (as Traefik does), so the
 * configuration is always a consistent snapshot. When etcd is unreachable, the last
 * configuration stays in service, the outage is logged once, and the provider retries with
 * backoff; the etcd3 client re-opens its watch by itself, and a full re-list follows.
 */
import type { Etcd3, IOptions, Watcher } from 'etcd3';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Logger } from '../../../src/log/logger.js';
import { RetryBackoff, sleep } from '../backend-backoff.js';
import { OutageLog } from '../outage-log.js';
import type { ConfigMessage, Provider } from '../provider.js';
import { loadProviderTls } from '../provider-tls-options.js';
import type { EtcdProviderOptions } from './kv-options-schema.js';
import { CoalescedRelist, KvSnapshot } from './kv-snapshot.js';

export class EtcdProvider implements Provider {
  readonly name = 'etcd';
  readonly #options: EtcdProviderOptions;
  /** The client's options; the client (and gRPC) is loaded only when the provider starts. */
  readonly #clientOptions: IOptions;
  #client!: Etcd3;

  constructor(options: EtcdProviderOptions) {
    this.#options = options;
    const tls = options.tls ? loadProviderTls(options.tls, 'providers.etcd.tls') : undefined;
    if (tls && !tls.rejectUnauthorized) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_UNSUPPORTED',
        'insecureSkipVerify is not supported for etcd (its gRPC client always verifies).',
        {
          keyPath: 'providers.etcd.tls.insecureSkipVerify',
          hint: 'Give the CA that signed the etcd certificate in providers.etcd.tls.ca.',
        },
      );
    }
    const scheme = tls ? 'https' : 'http';
    this.#clientOptions = {
      // The client re-opens a broken watch by itself; its default backoff grows to 30 s, which
      // would leave a restarted etcd unwatched that long. Ours is capped at 2 s.
      faultHandling: { watchBackoff: watchBackoff(250) as never },
      hosts: options.endpoints.map((endpoint) =>
        /^[a-z]+:\/\//.test(endpoint) ? endpoint : `${scheme}://${endpoint}`,
      ),
      dialTimeout: 3000,
      ...(options.username !== undefined && options.password !== undefined
        ? { auth: { username: options.username, password: options.password } }
        : {}),
      ...(tls
        ? {
            credentials: {
              rootCertificate: tls.ca ?? Buffer.alloc(0),
              ...(tls.key ? { privateKey: tls.key } : {}),
              ...(tls.cert ? { certChain: tls.cert } : {}),
            },
          }
        : {}),
    };
  }

  async start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    // Loaded here, not at import: gRPC costs every proxy start half a second otherwise.
    const { Etcd3 } = await import('etcd3');
    this.#client = new Etcd3(this.#clientOptions);
    const prefix = `${this.#options.rootKey}/`;
    const outage = new OutageLog(logger, `etcd at ${this.#options.endpoints.join(', ')}`);
    const snapshot = new KvSnapshot(this.name, this.#options.rootKey);
    const backoff = new RetryBackoff();
    let retrying = false;

    const relistOnce = async () => {
      const pairs = await this.#client.getAll().prefix(prefix).strings();
      if (signal.aborted) return;
      emit(snapshot.message(Object.entries(pairs), logger));
      outage.recovered();
      backoff.reset();
    };
    /** Re-lists until it succeeds: an outage keeps the last configuration and retries. */
    const relistUntilDone = async (): Promise<void> => {
      while (!signal.aborted) {
        try {
          await relistOnce();
          return;
        } catch (error) {
          if (signal.aborted) return;
          outage.failed(error);
          retrying = true;
          await sleep(backoff.nextDelayMs(), signal);
        }
      }
    };
    const changes = new CoalescedRelist(relistUntilDone);

    let watcher: Watcher | undefined;
    const openWatch = async () => {
      while (!signal.aborted && !watcher) {
        try {
          watcher = await this.#client.watch().prefix(prefix).create();
        } catch (error) {
          outage.failed(error);
          await sleep(backoff.nextDelayMs(), signal);
        }
      }
      if (!watcher) return;
      watcher.on('put', () => changes.request());
      watcher.on('delete', () => changes.request());
      watcher.on('disconnected', (error: unknown) =>
        outage.failed(error ?? new Error('the watch was disconnected')),
      );
      // The client re-opens the watch itself; what changed meanwhile comes with a full re-list.
      watcher.on('connected', () => changes.request());
      watcher.on('error', (error: unknown) => outage.failed(error));
    };

    signal.addEventListener(
      'abort',
      () => {
        void watcher?.cancel().catch(() => {});
        this.#client.close();
      },
      { once: true },
    );
    try {
      await relistOnce();
    } catch (error) {
      outage.failed(error);
      retrying = true;
    }
    // The watch and any retry go on in the background: start() resolves after the first try.
    void (async () => {
      if (retrying) await relistUntilDone();
      await openWatch();
      // A change between the first listing and the watch would be missed: list once more.
      changes.request();
    })();
  }
}

/** Cockatiel's backoff shape, as the etcd3 client reads it: a duration and the next step. */
interface WatchBackoff {
  duration: number;
  next(): WatchBackoff;
}

function watchBackoff(durationMs: number): WatchBackoff {
  return { duration: durationMs, next: () => watchBackoff(Math.min(durationMs * 2, 2000)) };
}
