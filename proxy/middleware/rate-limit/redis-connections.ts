/**
 * Redis clients for the distributed rate limit, shared by every middleware instance with the
 * same connection settings: a reload builds new middlewares but reuses the connection, and
 * the last user to go away closes it. One endpoint is a plain client; several are a Redis
 * Cluster seed list, as with go-redis's universal client in Traefik.
 */
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { type ClientTlsConfig, clientTlsOptions } from '../client-tls/client-tls.js';

export interface RedisConnectionConfig {
  endpoints: string[];
  username?: string | undefined;
  password?: string | undefined;
  db: number;
  readTimeout: number;
  writeTimeout: number;
  dialTimeout: number;
  tls?: ClientTlsConfig | undefined;
}

export type RedisClient = Redis | Cluster;

const shared = new Map<string, { client: RedisClient; users: number }>();

/** A client for these settings; call the returned release when the user goes away. */
export function acquireRedis(
  config: RedisConnectionConfig,
  keyPath: string,
): { client: RedisClient; release(): void } {
  const key = JSON.stringify(config);
  let entry = shared.get(key);
  if (!entry) {
    entry = { client: createClient(config, keyPath), users: 0 };
    shared.set(key, entry);
  }
  entry.users++;
  const held = entry;
  let released = false;
  return {
    client: held.client,
    release() {
      if (released) return;
      released = true;
      held.users--;
      if (held.users === 0) {
        shared.delete(key);
        held.client.disconnect();
      }
    },
  };
}

function createClient(config: RedisConnectionConfig, keyPath: string): RedisClient {
  const options: RedisOptions = {
    ...(config.username ? { username: config.username } : {}),
    ...(config.password ? { password: config.password } : {}),
    db: config.db,
    // A rate-limit decision that waits is worse than one that fails: fail fast, then denyOnError decides.
    maxRetriesPerRequest: 1,
    ...(config.dialTimeout > 0 ? { connectTimeout: config.dialTimeout } : {}),
    // ioredis has one timeout per command, covering the write and the read.
    ...(config.readTimeout + config.writeTimeout > 0
      ? { commandTimeout: config.readTimeout + config.writeTimeout }
      : {}),
    ...(config.tls ? { tls: clientTlsOptions(config.tls, `${keyPath}.tls`) } : {}),
  };
  const nodes = config.endpoints.map((endpoint) => hostAndPort(endpoint, keyPath));
  if (nodes.length === 1) {
    const [node] = nodes as [{ host: string; port: number }];
    return new Redis({ ...options, host: node.host, port: node.port, lazyConnect: false });
  }
  return new Cluster(nodes, { redisOptions: options });
}

function hostAndPort(endpoint: string, keyPath: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(endpoint) ?? /^([^:]+)$/.exec(endpoint);
  if (!match) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', `"${endpoint}" is not a Redis endpoint.`, {
      keyPath: `${keyPath}.endpoints`,
      hint: 'Write endpoints as "host:port", such as "localhost:6379".',
    });
  }
  return { host: match[1] as string, port: match[2] ? Number(match[2]) : 6379 };
}
