/**
 * The queue used when no `REDIS_URL` is set: same contract as the BullMQ queue, in memory.
 * It is for a single instance and is not durable: events still waiting when the process exits
 * are lost (GitHub's "redeliver" button is the way back). Use Redis in production.
 */
import type { Logger } from '../../src/log/logger.js';
import type { EnqueueOptions, EventQueue, QueueHealth } from './event-queue.js';
import type { EventHandler, QueuedEvent } from './queued-event.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-decision.js';
import { runWithRetries } from './run-with-retries.js';

export interface InProcessQueueOptions {
  log: Logger;
  retry?: RetryPolicy;
  /** How long a delivery id is remembered to drop duplicates. */
  dedupeWindowMs?: number;
}

export function createInProcessQueue(options: InProcessQueueOptions): EventQueue {
  const retry = options.retry ?? defaultRetryPolicy;
  const dedupeWindowMs = options.dedupeWindowMs ?? 24 * 3600_000;
  /** delivery id → when it may be forgotten. A Map keeps insertion order, so expiry scans stop early. */
  const seen = new Map<string, number>();
  /** ordering key → events not started yet, in order. */
  const waiting = new Map<string, QueuedEvent[]>();
  /** ordering key → the drain loop running for it. */
  const running = new Map<string, Promise<void>>();
  /** Delayed events not due yet. */
  const timers = new Set<NodeJS.Timeout>();
  let handler: EventHandler | undefined;
  let closed = false;
  let pending = 0;

  function push(event: QueuedEvent): void {
    pending++;
    const list = waiting.get(event.orderingKey) ?? [];
    list.push(event);
    waiting.set(event.orderingKey, list);
    drain(event.orderingKey);
  }

  function forgetExpired(now: number): void {
    for (const [id, expiresAt] of seen) {
      if (expiresAt > now) break;
      seen.delete(id);
    }
  }

  function drain(key: string): void {
    if (!handler || running.has(key) || !waiting.get(key)?.length) return;
    const run = handler;
    const loop = (async () => {
      for (let event = waiting.get(key)?.shift(); event; event = waiting.get(key)?.shift()) {
        try {
          await runWithRetries(run, event, retry, options.log);
        } catch (error) {
          options.log.error({ err: error, deliveryId: event.deliveryId, event: event.name }, 'event failed');
        } finally {
          pending--;
        }
      }
      waiting.delete(key);
    })();
    running.set(key, loop);
    void loop.finally(() => {
      running.delete(key);
      // An event may have arrived between the loop's last shift and this cleanup.
      if (!closed) drain(key);
    });
  }

  return {
    kind: 'in-process',
    async enqueue(event, enqueueOptions: EnqueueOptions = {}) {
      if (closed) throw new Error('the event queue is closed');
      const now = Date.now();
      forgetExpired(now);
      if (seen.has(event.deliveryId)) return { duplicate: true };
      const delayMs = Math.max(0, enqueueOptions.delayMs ?? 0);
      seen.set(event.deliveryId, now + delayMs + dedupeWindowMs);
      if (delayMs === 0) {
        push(event);
        return { duplicate: false };
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closed) push(event);
      }, delayMs);
      // A due event must not keep a process alive that is otherwise done.
      timer.unref();
      timers.add(timer);
      return { duplicate: false };
    },
    async process(next) {
      if (handler) throw new Error('process() was already called on this queue');
      handler = next;
      for (const key of waiting.keys()) drain(key);
    },
    async health(): Promise<QueueHealth> {
      return {
        ok: !closed,
        kind: 'in-process',
        pending,
        delayed: timers.size,
        ...(closed ? { problem: 'closed' } : {}),
      };
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      waiting.clear();
      await Promise.allSettled(running.values());
    },
  };
}
