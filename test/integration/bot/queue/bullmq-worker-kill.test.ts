/**
 * A worker process killed (SIGKILL) in the middle of an event loses nothing: after its lock
 * expires, a new worker runs the event, and the repository's next event still runs after it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import { redisUrl } from '../../../support/services.js';
import { killTestQueueSettings, startedListKey } from './kill-test-settings.js';
import { deleteKeys, event, HandledEvents, silentLog, uniquePrefix } from './queue-test-kit.js';

const prefix = uniquePrefix();
afterAll(async () => deleteKeys(await redisUrl(), prefix));

it('runs the event of a killed worker process on the next worker, before the repo’s later events', async () => {
  const url = await redisUrl();
  const producer = createBullmqQueue({ redisUrl: url, log: silentLog, prefix, ...killTestQueueSettings });
  const interrupted = event('acme/crashy');
  const later = event('acme/crashy');
  await producer.enqueue(interrupted);
  await producer.enqueue(later);

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./hanging-worker.fixture.ts', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
      env: { ...process.env, REDIS_URL: url, QUEUE_PREFIX: prefix },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const watcher = new Redis(url);
  try {
    // Blocks until the worker process has started the event (or 30 s pass).
    const started = await watcher.blpop(startedListKey(prefix), 30);
    expect(started?.[1]).toBe(interrupted.deliveryId);
    child.kill('SIGKILL');
    await once(child, 'exit');

    const handled = new HandledEvents();
    await producer.process(async (e) => handled.record(e));
    await handled.waitFor(() => handled.events.length === 2, 'both events after the restart', 60_000);
    expect(handled.ids()).toEqual([interrupted.deliveryId, later.deliveryId]);
    // The dead worker never got to the later event: it was held behind the interrupted one.
    expect(await watcher.lrange(startedListKey(prefix), 0, -1)).toEqual([]);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    watcher.disconnect();
    await producer.close();
  }
}, 90_000);
