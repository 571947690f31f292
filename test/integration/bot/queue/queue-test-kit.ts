/**
 * Helpers shared by the queue suites: a silent logger, unique Redis prefixes, and a recorder
 * that lets a test wait for handled events instead of sleeping.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { QueuedEvent } from '../../../../bot/queue/queued-event.js';
import { createLogger } from '../../../../src/log/logger.js';

export const silentLog = createLogger({ level: 'silent', format: 'json' });

export function uniquePrefix(): string {
  return `affineur-test-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/** Deletes every key a test run created under its prefix. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export function event(orderingKey: string, deliveryId: string = randomUUID()): QueuedEvent {
  return { deliveryId, name: 'issues', payload: { action: 'opened', marker: deliveryId }, orderingKey };
}

/** Records handled events; `waitFor` resolves when a condition over them holds. */
export class HandledEvents {
  readonly events: QueuedEvent[] = [];
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];

  record(event: QueuedEvent): void {
    this.events.push(event);
    for (const waiter of [...this.waiters]) {
      if (waiter.check()) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  ids(orderingKey?: string): string[] {
    return this.events.filter((e) => !orderingKey || e.orderingKey === orderingKey).map((e) => e.deliveryId);
  }

  waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        check,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** An error shaped like the ones Octokit throws for an HTTP answer. */
export function httpError(status: number, headers: Record<string, string> = {}, message = `HTTP ${status}`) {
  return Object.assign(new Error(message), { status, response: { headers } });
}
