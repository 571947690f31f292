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
    expect(health).toMatchObject({ ok: true, pending: 0 });
  });
});
