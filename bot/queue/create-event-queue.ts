import type { Logger } from '../../src/log/logger.js';
import { createBullmqQueue } from './bullmq-queue.js';
import type { EventQueue } from './event-queue.js';
import { createInProcessQueue } from './in-process-queue.js';

/** BullMQ when `REDIS_URL` is set; otherwise the in-process queue (single instance, not durable). */
export function createEventQueue(env: Readonly<Record<string, string | undefined>>, log: Logger): EventQueue {
  const redisUrl = env.REDIS_URL;
  if (redisUrl)
    return createBullmqQueue({
      redisUrl,
      log,
      ...(env.AFFINEUR_QUEUE_PREFIX ? { prefix: env.AFFINEUR_QUEUE_PREFIX } : {}),
    });
  log.warn(
    'REDIS_URL is not set: using the in-process event queue (one instance only; events are lost on restart)',
  );
  return createInProcessQueue({ log });
}
