/**
 * The durable event queue, on BullMQ and Redis.
 *
 * Per-repository order. BullMQ's own per-group ordering is a Pro feature, so order comes from
 * partitioning instead: a repository always hashes to the same one of N queues, and each of
 * those queues has a *global* concurrency of 1, so across every worker process at most one
 * event per partition runs at a time. That gives per-repo FIFO (in fact per-partition FIFO) with
 * no locks of our own to get wrong. We considered a Redis lock per repo plus re-queueing, but a
 * re-queued event goes to the back of the line and overtakes nothing only by luck; keeping the
 * event at the head of its partition is what makes order hold through retries and crashes:
 * - a transient failure is retried in place (see run-with-retries.ts), holding the partition;
 * - a worker that dies leaves its event in the active list, still counted by the global
 *   concurrency, so nothing else in that partition starts; once its lock expires the stalled
 *   check puts it back at the *head* of the wait list (BullMQ RPUSHes stalled jobs onto the end
 *   it pops from) and another worker runs it.
 * The cost is head-of-line blocking between repos that share a partition; raise `partitions`
 * when many busy repos share one installation of the bot.
 *
 * Duplicates. The BullMQ job id is the delivery id, and BullMQ ignores an add whose id exists.
 * Finished jobs are kept for `dedupeWindowMs`, which is how long a redelivery is recognised.
 *
 * Delayed events are BullMQ delayed jobs: stored in Redis with their due time, promoted to the
 * wait list of their partition when due (by whichever worker is alive), so they survive a restart
 * and keep the partition's order from the moment they are due.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../../src/log/logger.js';
import type { EnqueueOptions, EventQueue, QueueHealth } from './event-queue.js';
import { partitionOf } from './partition.js';
import type { EventHandler, QueuedEvent } from './queued-event.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-decision.js';
import { runWithRetries } from './run-with-retries.js';

export interface BullmqQueueOptions {
  redisUrl: string;
  log: Logger;
  /** Redis key prefix; separate deployments (or test runs) sharing a Redis use different ones. */
  prefix?: string;
  /** Number of ordered lanes; repositories hash onto them. */
  partitions?: number;
  retry?: RetryPolicy;
  /**
   * How long a worker's claim on an event lasts without renewal (it renews every half of this).
   * After a crash, the event waits about this long before another worker takes it over.
   */
  lockDurationMs?: number;
  /** How often each worker looks for events whose worker died. */
  stalledIntervalMs?: number;
  /** A worker crashing on the same event more often than this fails the event (a poison event). */
  maxStalledCount?: number;
  dedupeWindowMs?: number;
}

export const bullmqDefaults = {
  prefix: 'affineur',
  partitions: 8,
  // Shorter than BullMQ's 30 s so a crashed worker's event resumes within seconds; renewals at
  // half this interval are cheap (one Redis call per running event).
  lockDurationMs: 10_000,
  stalledIntervalMs: 5_000,
  maxStalledCount: 3,
  dedupeWindowMs: 24 * 3600_000,
} as const;

const queueName = (partition: number) => `events-${partition}`;

/**
 * BullMQ refuses most job ids containing `:` (its key separator); our synthetic events' ids have
 * them (repository names, ISO times). Percent-encoding keeps every id distinct and deterministic.
 */
export const jobIdOf = (deliveryId: string) => deliveryId.replaceAll('%', '%25').replaceAll(':', '%3A');

export function createBullmqQueue(options: BullmqQueueOptions): EventQueue {
  const settings = {
    prefix: options.prefix ?? bullmqDefaults.prefix,
    partitions: options.partitions ?? bullmqDefaults.partitions,
    lockDurationMs: options.lockDurationMs ?? bullmqDefaults.lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs ?? bullmqDefaults.stalledIntervalMs,
    maxStalledCount: options.maxStalledCount ?? bullmqDefaults.maxStalledCount,
    dedupeWindowMs: options.dedupeWindowMs ?? bullmqDefaults.dedupeWindowMs,
  };
  const retry = options.retry ?? defaultRetryPolicy;
  // BullMQ requires maxRetriesPerRequest: null so blocking commands survive reconnects.
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null, lazyConnect: false });
  connection.on('error', (err) => options.log.warn({ err }, 'redis connection error'));
  const queues = Array.from(
    { length: settings.partitions },
    (_, partition) => new Queue(queueName(partition), { connection, prefix: settings.prefix }),
  );
  const concurrencySet = Promise.all(queues.map((queue) => queue.setGlobalConcurrency(1)));
  const workers: Worker[] = [];
  const keepSeconds = Math.ceil(settings.dedupeWindowMs / 1000);

  return {
    kind: 'bullmq',
    async enqueue(event: QueuedEvent, enqueueOptions: EnqueueOptions = {}) {
      await concurrencySet;
      const queue = queues[partitionOf(event.orderingKey, settings.partitions)]!;
      // Only to report duplicates in logs; the add below is what deduplicates, atomically.
      const jobId = jobIdOf(event.deliveryId);
      const existed = (await queue.getJob(jobId)) !== undefined;
      const delay = Math.max(0, Math.ceil(enqueueOptions.delayMs ?? 0));
      await queue.add(event.name, event, {
        jobId,
        ...(delay > 0 ? { delay } : {}),
        removeOnComplete: { age: keepSeconds },
        removeOnFail: { age: keepSeconds * 7 },
      });
      return { duplicate: existed };
    },
    async process(handler: EventHandler) {
      if (workers.length > 0) throw new Error('process() was already called on this queue');
      await concurrencySet;
      for (let partition = 0; partition < settings.partitions; partition++) {
        const worker = new Worker<QueuedEvent>(
          queueName(partition),
          (job) => runWithRetries(handler, job.data, retry, options.log),
          {
            connection,
            prefix: settings.prefix,
            concurrency: 1,
            lockDuration: settings.lockDurationMs,
            stalledInterval: settings.stalledIntervalMs,
            maxStalledCount: settings.maxStalledCount,
          },
        );
        worker.on('failed', (job, err) =>
          options.log.error({ err, deliveryId: job?.data.deliveryId, event: job?.name }, 'event failed'),
        );
        worker.on('error', (err) => options.log.warn({ err }, 'queue worker error'));
        workers.push(worker);
      }
    },
    async health(): Promise<QueueHealth> {
      try {
        const counts = await Promise.all(
          queues.map((q) => q.getJobCounts('wait', 'active', 'delayed', 'paused', 'prioritized')),
        );
        const pending = counts.reduce(
          (sum, c) => sum + (c.wait ?? 0) + (c.active ?? 0) + (c.paused ?? 0) + (c.prioritized ?? 0),
          0,
        );
        const delayed = counts.reduce((sum, c) => sum + (c.delayed ?? 0), 0);
        return { ok: connection.status === 'ready', kind: 'bullmq', pending, delayed };
      } catch (error) {
        return { ok: false, kind: 'bullmq', pending: 0, delayed: 0, problem: (error as Error).message };
      }
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all(queues.map((queue) => queue.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
