/** The merge queue lock on a real Redis: mutual exclusion, reruns, and a lease that can be lost. */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockLostError } from '../../../../bot/merge/queue-lock.js';
import { createRedisQueueLock } from '../../../../bot/merge/redis-queue-lock.js';
import { redisUrl } from '../../../support/services.js';
import { deleteKeys, uniquePrefix } from '../queue/queue-test-kit.js';

const prefix = uniquePrefix();
let redis: Redis;
beforeAll(async () => {
  redis = new Redis(await redisUrl());
});
afterAll(async () => {
  redis.disconnect();
  await deleteKeys(await redisUrl(), prefix);
});

/** A promise and its resolver, to hold a pass open while the test acts. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('the merge queue lock on Redis', () => {
  it('lets one worker in; a second one leaves a rerun mark, which the holder honours', async () => {
    const a = createRedisQueueLock({ redis, prefix });
    const b = createRedisQueueLock({ redis, prefix });
    const passes: string[] = [];
    const inside = gate();
    const release = gate();
    const holder = a.run('acme/app:main', async () => {
      passes.push('a');
      if (passes.length === 1) {
        inside.open();
        await release.opened;
      }
    });
    await inside.opened;
    expect(await b.run('acme/app:main', async () => void passes.push('b'))).toBe('deferred');
    // Another queue of the same repository is independent.
    expect(await b.run('acme/app:v1.2', async () => void passes.push('other'))).toBe('ran');
    release.open();
    expect(await holder).toBe('ran');
    expect(passes).toEqual(['a', 'other', 'a']);
    expect(await redis.exists(`${prefix}:merge-lock:acme/app:main`)).toBe(0);
  });

  it('notices a lost lease before its next write, and never releases a lock it no longer holds', async () => {
    const lock = createRedisQueueLock({ redis, prefix, ttlMs: 300 });
    const key = `${prefix}:merge-lock:acme/lost:main`;
    const error = await lock
      .run('acme/lost:main', async (held) => {
        // Another worker takes over (as after this one stalled past its lease).
        await redis.set(key, 'someone-else');
        // The next lease renewal finds out; a write checks before it goes.
        for (let waited = 0; waited < 10_000; waited += 50) {
          held.assertHeld();
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockLostError);
    expect(await redis.get(key)).toBe('someone-else');
  });
});
