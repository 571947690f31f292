/**
 * A BullMQ worker process killed in the middle of a real event (config and files read, labels
 * not written yet) loses nothing: after its lock expires, a worker in this process runs the
 * event again with the real handlers, and the repository's next event runs after it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import { orderingKeyOf } from '../../../../bot/queue/queued-event.js';
import { redisUrl } from '../../../support/services.js';
import { killTestQueueSettings, startedListKey } from '../queue/kill-test-settings.js';
import { deleteKeys, silentLog, uniquePrefix } from '../queue/queue-test-kit.js';
import { startBotHarness } from './bot-harness.js';
import { type ForgeFixture, startForgeFixture } from './forge-fixture.js';
import { issueOpened } from './forge-payloads.js';
import { LogCapture } from './log-capture.js';

const prefix = uniquePrefix();
const owner = 'alice';
const repo = 'crashy';
let fx: ForgeFixture;

beforeAll(async () => {
  fx = await startForgeFixture([owner]);
  await fx.createRepo(owner, repo);
});

afterAll(async () => {
  await fx?.close();
  await deleteKeys(await redisUrl(), prefix);
});

it('re-runs the real handler of a killed worker process, before the repo’s later event', async () => {
  const url = await redisUrl();
  const target = { owner, repo, installationId: fx.forge.app.installationId };
  const numbers: number[] = [];
  for (const title of ['Interrupted', 'Later']) {
    numbers.push((await fx.as(owner).rest.issues.create({ owner, repo, title })).data.number);
  }
  const events = numbers.map((number, i) => {
    const payload = issueOpened(target, { number, author: owner });
    return {
      deliveryId: `kill-${prefix}-${i}`,
      name: 'issues',
      payload,
      orderingKey: orderingKeyOf(payload),
    };
  });
  const producer = createBullmqQueue({ redisUrl: url, log: silentLog, prefix, ...killTestQueueSettings });
  for (const event of events) await producer.enqueue(event);
  await producer.close();

  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./stalling-bot-worker.fixture.ts', import.meta.url))],
    {
      cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
      env: {
        ...process.env,
        REDIS_URL: url,
        QUEUE_PREFIX: prefix,
        FORGE_API_URL: fx.forge.apiUrl,
        APP_ID: String(fx.forge.app.id),
        PRIVATE_KEY: fx.forge.app.privateKey,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const watcher = new Redis(url);
  try {
    const started = await watcher.blpop(startedListKey(prefix), 30);
    expect(started?.[1]).toBe(events[0]!.deliveryId);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const labels = async (n: number) =>
      (await fx.admin.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: n })).data.map(
        (l) => l.name,
      );
    expect(await labels(numbers[0]!)).toEqual([]);

    const logs = new LogCapture();
    const consumer = createBullmqQueue({ redisUrl: url, log: logs.log, prefix, ...killTestQueueSettings });
    const bot = await startBotHarness(fx.forge, { queue: consumer, logs });
    try {
      await bot.logs.handled(events[1]!.deliveryId, 60_000);
      const handled = bot.logs.lines.filter((l) => l.msg === 'event handled').map((l) => l.deliveryId);
      expect(handled).toEqual(events.map((e) => e.deliveryId));
      expect(await labels(numbers[0]!)).toEqual(['status/0-needs-triage']);
      expect(await labels(numbers[1]!)).toEqual(['status/0-needs-triage']);
      expect(await watcher.lrange(startedListKey(prefix), 0, -1)).toEqual([]);
    } finally {
      await bot.close();
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    watcher.disconnect();
  }
}, 90_000);
