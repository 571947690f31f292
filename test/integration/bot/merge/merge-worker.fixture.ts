/**
 * A bot worker process for the crash test: it takes events off the shared BullMQ queue and runs
 * them, merge queue included, but receives no webhooks (the test process does).
 * Run as: node --import tsx merge-worker.fixture.ts
 * (env: GITHUB_API_URL, APP_ID, PRIVATE_KEY, REDIS_URL, QUEUE_PREFIX).
 */
import { Probot } from 'probot';
import { BotOctokit, startWorkers } from '../../../../bot/app.js';
import { createMergeRuntime } from '../../../../bot/merge/merge-runtime.js';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import { createLogger } from '../../../../src/log/logger.js';
import { crashTestSettings } from './crash-test-settings.js';

const env = process.env;
const log = createLogger({
  level: env.MERGE_TEST_LOG ?? 'silent',
  format: 'json',
  name: `worker-${process.pid}`,
});
const probot = new Probot({
  appId: Number(env.APP_ID),
  privateKey: env.PRIVATE_KEY!,
  baseUrl: env.GITHUB_API_URL!,
  Octokit: BotOctokit,
  log,
});
const queue = createBullmqQueue({
  redisUrl: env.REDIS_URL!,
  log,
  prefix: env.QUEUE_PREFIX!,
  ...crashTestSettings.queue,
});
const merge = createMergeRuntime({
  log,
  redisUrl: env.REDIS_URL!,
  prefix: env.QUEUE_PREFIX!,
  ...crashTestSettings.merge,
});
await startWorkers(probot, { queue, log, globalDryRun: false, merge });
process.stdout.write('ready\n');
