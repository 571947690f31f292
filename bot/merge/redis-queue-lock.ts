/**
 * The merge queue lock on Redis: `SET key token NX PX ttl` to take it, a timer that extends it
 * while the pass runs, and Lua scripts so that extending and releasing only ever touch a lock
 * this worker still holds (compare the token and act in one atomic step).
 *
 * Why our own lock rather than BullMQ's grouping: per-group concurrency is a BullMQ Pro feature,
 * and the open-source queue already orders a repository's events by partition. What remains is
 * a mutual exclusion with a lease, which is these three short scripts.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type HeldLock, LockLostError, maxRerunsPerHold, type QueueLock } from './queue-lock.js';

/** Takes the lock, or, when someone holds it, leaves them a rerun mark. 1 = taken, 0 = marked. */
const acquireScript = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
return 0`;

/** Lets go of a lock we still hold (after a failed pass), leaving any rerun mark for the next holder. */
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Extends the lease if we still hold it. */
const extendScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/**
 * At the end of a pass: -1 = not ours any more; 1 = a rerun was asked (kept, lease renewed);
 * 0 = released. Checking the mark and releasing in one step is what makes a mark left between
 * "check" and "release" impossible to miss.
 */
const finishScript = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
if redis.call('DEL', KEYS[2]) == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
redis.call('DEL', KEYS[1])
return 0`;

export interface RedisQueueLockOptions {
  redis: Redis;
  /** Key prefix, shared with the event queue's (`affineur`). */
  prefix: string;
  /** Lease length; the holder extends it every third of this. A crashed holder blocks this long. */
  ttlMs?: number;
}

export function createRedisQueueLock(options: RedisQueueLockOptions): QueueLock {
  const { redis } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const keys = (key: string) => [
    `${options.prefix}:merge-lock:${key}`,
    `${options.prefix}:merge-rerun:${key}`,
  ];

  return {
    async run(key, work) {
      const [lockKey, rerunKey] = keys(key) as [string, string];
      const token = randomUUID();
      const taken = await redis.eval(acquireScript, 2, lockKey, rerunKey, token, ttlMs, ttlMs * 2);
      if (taken !== 1) return 'deferred';

      let lost = false;
      const timer = setInterval(
        () => {
          redis.eval(extendScript, 1, lockKey, token, ttlMs).then(
            (extended) => {
              if (extended !== 1) lost = true;
            },
            // A Redis hiccup is not a loss yet: the lease still runs; the next tick tries again.
            () => undefined,
          );
        },
        Math.max(100, Math.floor(ttlMs / 3)),
      );
      timer.unref();
      const held: HeldLock = {
        assertHeld() {
          if (lost) throw new LockLostError(key);
        },
      };
      try {
        for (let round = 0; ; round++) {
          try {
            await work(held);
          } catch (error) {
            await redis.eval(releaseScript, 1, lockKey, token).catch(() => undefined);
            throw error;
          }
          const finished = await redis.eval(finishScript, 2, lockKey, rerunKey, token, ttlMs);
          if (finished === -1) throw new LockLostError(key);
          if (finished === 0) return 'ran';
          if (round >= maxRerunsPerHold) {
            // Let go; the marks keep coming from live events, so the next event runs the queue.
            await redis.eval(releaseScript, 1, lockKey, token);
            return 'ran';
          }
        }
      } finally {
        clearInterval(timer);
      }
    },
    async close() {},
  };
}
