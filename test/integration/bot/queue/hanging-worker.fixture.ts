/**
 * A worker process for the kill test: it takes events from the BullMQ queue, notes each start
 * in a Redis list, and never finishes, so the test can kill it mid-event.
 * Run as: node --import tsx hanging-worker.fixture.ts (env: REDIS_URL, QUEUE_PREFIX).
 */
import { Redis } from 'ioredis';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import { killTestQueueSettings, startedListKey } from './kill-test-settings.js';
import { silentLog } from './queue-test-kit.js';

const redisUrl = process.env.REDIS_URL!;
const prefix = process.env.QUEUE_PREFIX!;
const notes = new Redis(redisUrl);
const queue = createBullmqQueue({ redisUrl, log: silentLog, prefix, ...killTestQueueSettings });
await queue.process(async (event) => {
  await notes.rpush(startedListKey(prefix), event.deliveryId);
  await new Promise(() => {});
});
