/**
 * The queue contract, run unchanged against both implementations: the in-process queue and
 * the BullMQ queue on real Redis.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import type { EventQueue } from '../../../../bot/queue/event-queue.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import type { QueuedEvent } from '../../../../bot/queue/queued-event.js';
import type { RetryPolicy } from '../../../../bot/queue/retry-decision.js';
import { redisUrl } from '../../../support/services.js';
import { deleteKeys, event, HandledEvents, httpError, silentLog, uniquePrefix } from './queue-test-kit.js';

const retry: RetryPolicy = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 5_000 };
const prefixes: string[] = [];

const implementations: [string, () => Promise<EventQueue>][] = [
  ['in-process', async () => createInProcessQueue({ log: silentLog, retry })],
  [
    'bullmq',
    async () => {
      const prefix = uniquePrefix();
      prefixes.push(prefix);
      return createBullmqQueue({ redisUrl: await redisUrl(), log: silentLog, prefix, partitions: 4, retry });
    },
  ],
];

/** The health once the handled events have finished (a handler records before it returns). */
async function settledHealth(queue: EventQueue) {
  for (let i = 0; i < 100; i++) {
    const health = await queue.health();
    if (health.pending === 0) return health;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return queue.health();
}

afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(await redisUrl(), prefix);
});

describe.each(implementations)('event queue contract: %s', (_name, create) => {
  let queue: EventQueue | undefined;
  afterEach(async () => {
    await queue?.close();
    queue = undefined;
  });

  it('handles one repository’s events one at a time, in the order they were enqueued', async () => {
    queue = await create();
    const handled = new HandledEvents();
    const inFlight = new Map<string, number>();
    let maxInFlight = 0;
    await queue.process(async (e) => {
      const now = (inFlight.get(e.orderingKey) ?? 0) + 1;
      inFlight.set(e.orderingKey, now);
      maxInFlight = Math.max(maxInFlight, now);
      // The first event is slow, so a queue that ran events in parallel would finish others first.
      if ((e.payload as { slow?: boolean }).slow) await new Promise((r) => setTimeout(r, 300));
      else await new Promise((r) => setImmediate(r));
      inFlight.set(e.orderingKey, now - 1);
      handled.record(e);
    });
    const sent: QueuedEvent[] = [];
    for (let i = 0; i < 6; i++) {
      for (const repo of ['acme/one', 'acme/two']) {
        const e = event(repo);
        if (i === 0) e.payload = { slow: true };
        sent.push(e);
        await queue.enqueue(e);
      }
    }
    await handled.waitFor(() => handled.events.length === sent.length, 'all events');
    for (const repo of ['acme/one', 'acme/two']) {
      expect(handled.ids(repo)).toEqual(sent.filter((e) => e.orderingKey === repo).map((e) => e.deliveryId));
    }
    expect(maxInFlight).toBe(1);
  });

  it('handles a repeated delivery id once, whether it arrives during or after the first', async () => {
    queue = await create();
    const handled = new HandledEvents();
    await queue.process(async (e) => handled.record(e));
    const first = event('acme/dup');
    const results = [await queue.enqueue(first), await queue.enqueue({ ...first })];
    await handled.waitFor(() => handled.events.length === 1, 'the first delivery');
    results.push(await queue.enqueue({ ...first }));
    const marker = event('acme/dup');
    await queue.enqueue(marker);
    await handled.waitFor(() => handled.ids().includes(marker.deliveryId), 'the marker event');
    expect(handled.ids()).toEqual([first.deliveryId, marker.deliveryId]);
    expect(results.map((r) => r.duplicate)).toEqual([false, true, true]);
  });

  it('retries a GitHub 5xx after the retry-after the answer asked for, keeping the repo’s order', async () => {
    queue = await create();
    const handled = new HandledEvents();
    const attempts = new Map<string, number[]>();
    await queue.process(async (e) => {
      const times = attempts.get(e.deliveryId) ?? [];
      times.push(Date.now());
      attempts.set(e.deliveryId, times);
      if ((e.payload as { flaky?: boolean }).flaky && times.length === 1) {
        throw httpError(503, { 'retry-after': '1' });
      }
      handled.record(e);
    });
    const flaky = { ...event('acme/retry'), payload: { flaky: true } };
    const next = event('acme/retry');
    await queue.enqueue(flaky);
    await queue.enqueue(next);
    await handled.waitFor(() => handled.events.length === 2, 'both events');
    expect(handled.ids()).toEqual([flaky.deliveryId, next.deliveryId]);
    const [firstTry, secondTry] = attempts.get(flaky.deliveryId)!;
    // Timers may fire a millisecond early against Date.now(); the wait asked for was 1000 ms.
    expect(secondTry! - firstTry!).toBeGreaterThanOrEqual(990);
  });

  it('retries a rate-limited answer, and gives up on a 404 without blocking the repo', async () => {
    queue = await create();
    const handled = new HandledEvents();
    const attempts = new Map<string, number>();
    await queue.process(async (e) => {
      const count = (attempts.get(e.deliveryId) ?? 0) + 1;
      attempts.set(e.deliveryId, count);
      const kind = (e.payload as { kind?: string }).kind;
      if (kind === 'rate-limited' && count === 1) {
        throw httpError(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0' });
      }
      if (kind === 'missing') throw httpError(404);
      handled.record(e);
    });
    const limited = { ...event('acme/limits'), payload: { kind: 'rate-limited' } };
    const missing = { ...event('acme/limits'), payload: { kind: 'missing' } };
    const after = event('acme/limits');
    for (const e of [limited, missing, after]) await queue.enqueue(e);
    await handled.waitFor(() => handled.events.length === 2, 'the events that can succeed');
    expect(handled.ids()).toEqual([limited.deliveryId, after.deliveryId]);
    expect(attempts.get(limited.deliveryId)).toBe(2);
    expect(attempts.get(missing.deliveryId)).toBe(1);
  });

  it('reports its health', async () => {
    queue = await create();
    const health = await queue.health();
    expect(health).toMatchObject({ ok: true, pending: 0, delayed: 0 });
  });

  it('handles a delayed event once it is due, not before, and counts it apart until then', async () => {
    queue = await create();
    const handled = new HandledEvents();
    const handledAt = new Map<string, number>();
    await queue.process(async (e) => {
      handledAt.set(e.deliveryId, Date.now());
      handled.record(e);
    });
    const enqueuedAt = Date.now();
    // Ids like the merge queue's wake-ups: colons (which BullMQ refuses in a raw job id) included.
    const later = event('acme/delayed', `merge-wake:acme/delayed#1:retry:${new Date().toISOString()}`);
    expect(await queue.enqueue(later, { delayMs: 800 })).toEqual({ duplicate: false });
    // The same delivery again while it waits is a duplicate, as for any event.
    expect(await queue.enqueue({ ...later }, { delayMs: 800 })).toEqual({ duplicate: true });
    const now = event('acme/delayed');
    await queue.enqueue(now);
    await handled.waitFor(() => handled.ids().includes(now.deliveryId), 'the immediate event');
    expect(handled.ids()).toEqual([now.deliveryId]);
    // Not pending: a delayed event must not look like work in progress (tests wait for pending 0).
    expect(await settledHealth(queue)).toMatchObject({ pending: 0, delayed: 1 });
    await handled.waitFor(() => handled.events.length === 2, 'the delayed event');
    expect(handled.ids()).toEqual([now.deliveryId, later.deliveryId]);
    // Timers may fire a millisecond early against Date.now(); the delay asked for was 800 ms.
    expect(handledAt.get(later.deliveryId)! - enqueuedAt).toBeGreaterThanOrEqual(790);
    expect(await settledHealth(queue)).toMatchObject({ pending: 0, delayed: 0 });
  });
});

describe('event queue: bullmq delayed events', () => {
  it('survive a restart: a delayed event stored by one process is handled by the next', async () => {
    const url = await redisUrl();
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const first = createBullmqQueue({ redisUrl: url, log: silentLog, prefix, partitions: 2, retry });
    const handledByFirst = new HandledEvents();
    await first.process(async (e) => handledByFirst.record(e));
    const later = event('acme/restart');
    await first.enqueue(later, { delayMs: 1_500 });
    await first.close();
    expect(handledByFirst.events).toEqual([]);

    const second = createBullmqQueue({ redisUrl: url, log: silentLog, prefix, partitions: 2, retry });
    try {
      expect(await second.health()).toMatchObject({ delayed: 1 });
      const handled = new HandledEvents();
      await second.process(async (e) => handled.record(e));
      await handled.waitFor(() => handled.events.length === 1, 'the delayed event after the restart');
      expect(handled.ids()).toEqual([later.deliveryId]);
    } finally {
      await second.close();
    }
  });
});
