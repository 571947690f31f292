/**
 * `providers.redis`: Traefik's KV layout under `rootKey`, as plain string keys in Redis
 * (`traefik/http/routers/r/rule`). Changes are signalled by keyspace notifications when the
 * server allows them: the provider adds the flags it needs to `notify-keyspace-events` (and
 * never removes any). A server that refuses `CONFIG` (managed Redis, a renamed command, ACLs)
 * is polled instead, every `pollIntervalMs`. Either way, each change is a full re-list (SCAN +
 * MGET) into one configuration. When Redis is unreachable the last configuration stays in
 * service, the outage is logged once, ioredis reconnects with backoff, and once ready the
 * provider checks notifications again and re-lists.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Logger } from '../../../src/log/logger.js';
import { RetryBackoff } from '../backend-backoff.js';
import { OutageLog } from '../outage-log.js';
import type { ConfigMessage, Provider } from '../provider.js';
import { loadProviderTls } from '../provider-tls-options.js';
import type { RedisProviderOptions } from './kv-options-schema.js';
import { CoalescedRelist, KvSnapshot } from './kv-snapshot.js';

/** Keyspace events for string writes ($), generic commands such as DEL and RENAME (g), expiry (x). */
const neededFlags = ['K', '$', 'g', 'x'];

export interface RedisProviderTuning {
  /** Poll period when keyspace notifications cannot be turned on. */
  pollIntervalMs?: number;
}

export class RedisProvider implements Provider {
  readonly name = 'redis';
  readonly #options: RedisProviderOptions;
  readonly #connection: RedisOptions;
  readonly #pollIntervalMs: number;

  constructor(options: RedisProviderOptions, tuning: RedisProviderTuning = {}) {
    this.#options = options;
    this.#pollIntervalMs = tuning.pollIntervalMs ?? 2000;
    const backoff = new RetryBackoff();
    const tls = options.tls ? loadProviderTls(options.tls, 'providers.redis.tls') : undefined;
    const addresses = options.endpoints.map((endpoint, i) =>
      parseEndpoint(endpoint, `providers.redis.endpoints[${i}]`),
    );
    if (!options.sentinel && addresses.length > 1) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_UNSUPPORTED',
        'several endpoints without sentinel mean Redis Cluster, which is not supported yet.',
        {
          keyPath: 'providers.redis.endpoints',
          hint: 'Give one endpoint, or the Sentinel addresses with providers.redis.sentinel.masterName.',
        },
      );
    }
    const first = addresses[0] as { host: string; port: number };
    this.#connection = {
      ...(options.sentinel
        ? {
            sentinels: addresses,
            name: options.sentinel.masterName,
            ...(options.sentinel.username !== undefined
              ? { sentinelUsername: options.sentinel.username }
              : {}),
            ...(options.sentinel.password !== undefined
              ? { sentinelPassword: options.sentinel.password }
              : {}),
          }
        : { host: first.host, port: first.port }),
      db: options.db,
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(tls ? { tls: { ...tls } } : {}),
      lazyConnect: true,
      // Commands fail at once during an outage: the last configuration is kept, not queued work.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => backoff.nextDelayMs(),
    };
    this.#resetBackoff = () => backoff.reset();
  }

  readonly #resetBackoff: () => void;

  async start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    const rootKey = this.#options.rootKey;
    const outage = new OutageLog(logger, `Redis at ${this.#options.endpoints.join(', ')}`);
    const snapshot = new KvSnapshot(this.name, rootKey);
    const client = new Redis(this.#connection);
    const subscriber = new Redis({ ...this.#connection });
    let poll: NodeJS.Timeout | undefined;
    // Errors are reported through the outage log; ioredis would otherwise print each retry.
    client.on('error', (error) => outage.failed(error));
    subscriber.on('error', () => {});

    const relist = async () => {
      try {
        const pairs = await listPairs(client, `${rootKey}/`);
        if (signal.aborted) return;
        emit(snapshot.message(pairs, logger));
        outage.recovered();
        this.#resetBackoff();
      } catch (error) {
        if (!signal.aborted) outage.failed(error);
      }
    };
    const changes = new CoalescedRelist(relist);

    /** Turns notifications on if the server lets us; else polls. Runs on every (re)connection. */
    const follow = async () => {
      clearInterval(poll);
      poll = undefined;
      if (await enableNotifications(client)) {
        if (subscriber.status !== 'ready') await subscriber.connect().catch(() => {});
        await subscriber
          .psubscribe(`__keyspace@${this.#options.db}__:${escapeGlob(rootKey)}/*`)
          .catch(() => {});
      } else {
        logger.warn(
          `Redis refuses CONFIG SET notify-keyspace-events; polling ${rootKey}/ every ${this.#pollIntervalMs} ms instead`,
        );
        poll = setInterval(() => changes.request(), this.#pollIntervalMs);
      }
    };
    subscriber.on('pmessage', () => changes.request());

    signal.addEventListener(
      'abort',
      () => {
        clearInterval(poll);
        client.disconnect();
        subscriber.disconnect();
      },
      { once: true },
    );

    let connected = true;
    try {
      await client.connect();
    } catch (error) {
      // ioredis keeps reconnecting with the backoff; the next 'ready' follows and re-lists.
      outage.failed(error);
      connected = false;
    }
    // Every later (re)connection: notifications may be off again (a restarted server), and
    // whatever changed meanwhile comes with a full re-list.
    client.on('ready', () => {
      void follow().then(() => changes.request());
    });
    if (connected) {
      await follow();
      await relist();
    }
  }
}

function parseEndpoint(endpoint: string, keyPath: string): { host: string; port: number } {
  const match = /^(?:redis:\/\/)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(endpoint);
  if (!match) {
    throw new AffineurError(
      'AFF_ERR_CONFIG_INVALID',
      `expected host:port; found ${JSON.stringify(endpoint)}.`,
      {
        keyPath,
        hint: 'Write it as 127.0.0.1:6379.',
      },
    );
  }
  return { host: (match[1] as string).replace(/^\[|\]$/g, ''), port: Number(match[2] ?? 6379) };
}

/** Every string key under the prefix with its value: SCAN (never KEYS) and MGET in batches. */
async function listPairs(client: Redis, prefix: string): Promise<[string, string][]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const unique = [...new Set(keys)];
  const pairs: [string, string][] = [];
  for (let i = 0; i < unique.length; i += 500) {
    const batch = unique.slice(i, i + 500);
    const values = await client.mget(...batch);
    batch.forEach((key, j) => {
      const value = values[j];
      // A key of another type (a hash, a list) reads as nil: it carries no option.
      if (value !== null && value !== undefined) pairs.push([key, value]);
    });
  }
  return pairs;
}

/** Adds the keyspace flags we need to the server's; false when CONFIG is refused. */
async function enableNotifications(client: Redis): Promise<boolean> {
  try {
    const [, current = ''] = (await client.config('GET', 'notify-keyspace-events')) as string[];
    const hasAll = current.includes('A');
    const missing = neededFlags.filter((flag) => !current.includes(flag) && !(hasAll && flag !== 'K'));
    if (missing.length > 0)
      await client.config('SET', 'notify-keyspace-events', `${current}${missing.join('')}`);
    return true;
  } catch {
    return false;
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
