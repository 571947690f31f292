import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRateLimit } from '../../../../proxy/middleware/rate-limit/rate-limit-plan.js';
import { RedisBucketStore } from '../../../../proxy/middleware/rate-limit/redis-bucket-store.js';
import { redisUrl } from '../../../support/services.js';
import { nodeGet, startTestProxy, startUpstream } from '../support/harness.js';

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

describe('rateLimit.redis: two real proxy instances share one limit through real Redis', () => {
  it('counts the requests both instances serve against one bucket', async () => {
    const url = new URL(await redisUrl());
    const upstream = await startUpstream((_req, res) => res.end('ok'));
    // A fresh middleware name per run: the Redis keys are named after it.
    const name = `shared-${randomUUID().slice(0, 8)}`;
    const dynamic = {
      http: {
        routers: { main: { rule: 'PathPrefix(`/`)', service: 'app', middlewares: [name] } },
        middlewares: {
          [name]: {
            rateLimit: {
              average: 1,
              period: '1m',
              burst: 3,
              redis: { endpoints: [`${url.hostname}:${url.port || 6379}`], db: 0 },
            },
          },
        },
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
      },
    };
    const a = await startTestProxy({ dynamic });
    const b = await startTestProxy({ dynamic });
    const client = new Redis(url.toString());
    try {
      const statuses = [];
      for (const proxy of [a, b, a, b, a, b]) statuses.push((await nodeGet(`${proxy.url()}/`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
      expect(await client.exists(`affineur:rateLimit:${name}@file:127.0.0.1`)).toBe(1);
    } finally {
      const keys = await client.keys(`affineur:rateLimit:${name}@file:*`);
      if (keys.length > 0) await client.del(...keys);
      client.disconnect();
      await a.close();
      await b.close();
      await upstream.close();
    }
  });
});
