import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRateLimit } from '../../../../proxy/middleware/rate-limit/rate-limit-plan.js';
import { RedisBucketStore } from '../../../../proxy/middleware/rate-limit/redis-bucket-store.js';
import { redisUrl } from '../../../support/services.js';

describe('Redis-backed rate limit shared by several proxy instances (real Redis)', () => {
  let first: Redis;
  let second: Redis;
  const prefix = `affineur-test:${randomUUID()}:`;

  beforeAll(async () => {
    const url = await redisUrl();
    first = new Redis(url);
    second = new Redis(url);
  });

  afterAll(async () => {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length > 0) await first.del(...keys);
    first.disconnect();
    second.disconnect();
  });

  it('counts requests from two instances against one bucket', async () => {
    // 1 request per minute with a burst of 3: three pass in total, whichever instance serves them.
    const plan = planRateLimit(1, 60_000, 3);
    const a = new RedisBucketStore(first, plan, prefix);
    const b = new RedisBucketStore(second, plan, prefix);
    const results = [];
    for (const store of [a, b, a, b, a]) results.push((await store.reserve('203.0.113.7')).allowed);
    expect(results).toEqual([true, true, true, false, false]);
    const refused = await b.reserve('203.0.113.7');
    expect(refused.allowed).toBe(false);
    if (!refused.allowed) expect(refused.retryAfterMs).toBeGreaterThan(50_000);
  });

  it('keeps sources apart and expires idle buckets', async () => {
    const plan = planRateLimit(10, 1000, 1);
    const store = new RedisBucketStore(first, plan, prefix);
    expect((await store.reserve('a')).allowed).toBe(true);
    expect((await store.reserve('b')).allowed).toBe(true);
    const ttl = await first.pttl(`${prefix}a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(plan.idleTtlMs);
  });

  it('answers concurrent reservations atomically', async () => {
    const plan = planRateLimit(1, 60_000, 10);
    const stores = [new RedisBucketStore(first, plan, prefix), new RedisBucketStore(second, plan, prefix)];
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => stores[i % 2]!.reserve('burst')));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });
});
