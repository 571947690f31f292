/**
 * Crash safety: the test process receives webhooks and enqueues them (BullMQ on real Redis);
 * a separate worker process runs them. The worker is killed (SIGKILL) right after the first
 * merge, in the middle of the queue, and a new one is started: it finishes the queue from what
 * GitHub shows (labels, heads, check runs), with nothing stored by the dead one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { useForge } from '../../../support/forge-harness.js';
import { redisUrl } from '../../../support/services.js';
import { uniquePrefix } from '../queue/queue-test-kit.js';
import { createRepo, eventually, readyLabel, startBot } from './merge-queue-kit.js';

describe('a bot worker killed mid-queue', () => {
  const harness = useForge(['alice', 'bob']);

  it('is replaced by a new worker that finishes the queue', async () => {
    const h = harness();
    const prefix = uniquePrefix();
    const web = await startBot(h, { processEvents: false, prefix });
    const url = await redisUrl();
    const spawnWorker = (): ChildProcess =>
      spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./merge-worker.fixture.ts', import.meta.url))],
        {
          cwd: fileURLToPath(new URL('../../../../', import.meta.url)),
          env: {
            ...process.env,
            GITHUB_API_URL: h.forge.apiUrl,
            APP_ID: String(h.forge.app.id),
            PRIVATE_KEY: h.forge.app.privateKey,
            REDIS_URL: url,
            QUEUE_PREFIX: prefix,
          },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
    let worker = spawnWorker();
    try {
      const repo = await createRepo(h, { strict: true, ci: true });
      const numbers = [
        await repo.openPullRequest('crash-a', 'a.txt'),
        await repo.openPullRequest('crash-b', 'b.txt'),
        await repo.openPullRequest('crash-c', 'c.txt'),
      ];
      for (const number of numbers) await repo.approve(number);
      await h.forge.idle();
      for (const number of numbers) {
        await repo.label(number, readyLabel);
      }
      const mergedCount = async () =>
        (await Promise.all(numbers.map((n) => repo.pull(n)))).filter((p) => p.merged).length;

      await eventually(async () => (await mergedCount()) >= 1, 'the first merge');
      worker.kill('SIGKILL');
      await once(worker, 'exit');
      const leftBehind = 3 - (await mergedCount());
      expect(leftBehind).toBeGreaterThan(0);

      worker = spawnWorker();
      await eventually(
        async () => (await mergedCount()) === 3,
        'the queue to finish after the restart',
        120_000,
      );
      // Even the PR merged just before the crash is cleaned up: the cleanup runs on its durable
      // \`closed\` event, which the new worker picks up.
      await eventually(async () => {
        const labels = await Promise.all(numbers.map((n) => repo.labels(n)));
        return labels.every((l) => !l.includes(readyLabel));
      }, 'the ready labels to be removed');
    } finally {
      if (worker.exitCode === null) {
        worker.kill('SIGKILL');
        await once(worker, 'exit');
      }
      await web.stop();
    }
  }, 180_000);
});
