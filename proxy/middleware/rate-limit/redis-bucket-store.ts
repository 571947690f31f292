/**
 * Token buckets kept in Redis, so several proxy instances share one limit. The whole
 * read-refill-take step runs as one Lua script: Redis executes scripts atomically, and the
 * script reads Redis's own clock so instances with skewed clocks still agree.
 */
import type { Cluster, Redis } from 'ioredis';
import type { BucketStore } from './memory-bucket-store.js';
import type { RateLimitPlan } from './rate-limit-plan.js';
import type { Reservation } from './token-bucket.js';

const reserveScript = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local max_delay = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1])
local at = tonumber(saved[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local remaining = tokens - 1
local delay = 0
if remaining < 0 then delay = -remaining / rate end
local allowed = 1
if delay > max_delay then
  allowed = 0
  remaining = tokens
end
redis.call('HSET', KEYS[1], 'tokens', tostring(remaining), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], ttl)
return { allowed, tostring(delay) }
`;

type ReserveCommand = (
  key: string,
  rate: string,
  burst: string,
  maxDelay: string,
  ttl: string,
) => Promise<[number, string]>;

export class RedisBucketStore implements BucketStore {
  readonly #redis: Redis | Cluster;
  readonly #plan: RateLimitPlan;
  readonly #keyPrefix: string;

  /** `keyPrefix` separates middlewares (and tests) sharing one Redis. */
  constructor(redis: Redis | Cluster, plan: RateLimitPlan, keyPrefix: string) {
    this.#redis = redis;
    this.#plan = plan;
    this.#keyPrefix = keyPrefix;
    if (!('affineurReserveToken' in redis)) {
      redis.defineCommand('affineurReserveToken', { numberOfKeys: 1, lua: reserveScript });
    }
  }

  async reserve(source: string): Promise<Reservation> {
    const plan = this.#plan;
    if (plan.ratePerMs === Number.POSITIVE_INFINITY) return { allowed: true, delayMs: 0 };
    if (plan.burst < 1) return { allowed: false, retryAfterMs: 1000 };
    const reserve = (
      this.#redis as unknown as { affineurReserveToken: ReserveCommand }
    ).affineurReserveToken.bind(this.#redis);
    const [allowed, delay] = await reserve(
      `${this.#keyPrefix}${source}`,
      String(plan.ratePerMs),
      String(plan.burst),
      String(plan.maxDelayMs),
      String(plan.idleTtlMs),
    );
    const delayMs = Number(delay);
    return allowed === 1 ? { allowed: true, delayMs } : { allowed: false, retryAfterMs: delayMs };
  }
}
