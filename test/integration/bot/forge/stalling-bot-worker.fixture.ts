/**
 * A bot worker process for the kill test: the real handlers, talking to the forge as its app,
 * except that the first write request of an event blocks forever (after noting the event in a
 * Redis list), so the test can kill the process in the middle of a real event.
 * Run as: node --import tsx stalling-bot-worker.fixture.ts
 * (env: REDIS_URL, QUEUE_PREFIX, FORGE_API_URL, APP_ID, PRIVATE_KEY).
 */
import { Redis } from 'ioredis';
import { Probot } from 'probot';
import { BotOctokit } from '../../../../bot/app.js';
import { handleEvent } from '../../../../bot/handlers/handle-event.js';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import { killTestQueueSettings, startedListKey } from '../queue/kill-test-settings.js';
import { silentLog } from '../queue/queue-test-kit.js';

const env = process.env as Record<string, string>;
const notes = new Redis(env.REDIS_URL!);
const probot = new Probot({
  appId: Number(env.APP_ID),
  privateKey: env.PRIVATE_KEY!,
  baseUrl: env.FORGE_API_URL!,
  Octokit: BotOctokit,
  log: silentLog,
});
const queue = createBullmqQueue({
  redisUrl: env.REDIS_URL!,
  log: silentLog,
  prefix: env.QUEUE_PREFIX!,
  ...killTestQueueSettings,
});
await queue.process(async (event) => {
  await handleEvent(event, {
    auth: async (installationId) => {
      const octokit = await probot.auth(installationId);
      octokit.hook.before('request', async (options) => {
        if (options.method === 'GET') return;
        await notes.rpush(startedListKey(env.QUEUE_PREFIX!), event.deliveryId);
        await new Promise(() => {});
      });
      return octokit;
    },
    log: silentLog,
    globalDryRun: false,
  });
});
