/**
 * The affineur GitHub App. Webhooks only enqueue (Kodiak's model): Probot verifies the
 * signature, the handler stores the event keyed by its delivery id, and answers. Workers take
 * events off the queue, one repository at a time, and run the handlers in bot/handlers/.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type ApplicationFunction, type Probot, ProbotOctokit } from 'probot';
import type { Logger } from '../src/log/logger.js';
import type { GitHubClient } from './github/github-client.js';
import { handleEvent } from './handlers/handle-event.js';
import type { MergeRuntime } from './merge/merge-runtime.js';
import type { EventQueue } from './queue/event-queue.js';
import { orderingKeyOf } from './queue/queued-event.js';

/**
 * Octokit for the workers, without Probot's in-process retry and throttling: the queue owns
 * retries (with backoff and `retry-after`, see bot/queue/retry-decision.ts), and one retry layer
 * is easier to reason about than two stacked ones. The throttling plugin would also hold every
 * write for a second, which the queue's per-repo ordering already makes unnecessary.
 */
export const BotOctokit = ProbotOctokit.defaults(withoutThrottleOrRetry);

/**
 * Forces both plugins off, whatever options come in. A plain `defaults({throttle: {enabled:
 * false}})` is not enough: Probot passes its own `throttle` callbacks to the constructor, the
 * shallow merge drops our `enabled: false`, and ProbotOctokit turns throttling back on. Every
 * write then waited a second (syncing the 32 default labels took 33 s against the sandbox forge).
 */
export function withoutThrottleOrRetry<T extends { throttle?: object; retry?: object }>(
  options: T = {} as T,
) {
  return {
    ...options,
    throttle: { ...options.throttle, enabled: false },
    retry: { ...options.retry, enabled: false },
  };
}

export interface AffineurAppOptions {
  queue: EventQueue;
  log: Logger;
  globalDryRun: boolean;
  /**
   * False for a web-only process that verifies and enqueues but leaves events to worker
   * processes sharing the same Redis. Defaults to true.
   */
  processEvents?: boolean;
  /** The merge queue's runtime (bot/merge); without it, this process runs no merge queue. */
  merge?: MergeRuntime;
  /** Called after each event with its API request count (tests and metrics read it). */
  onHandled?: (deliveryId: string, requests: number) => void;
}

export function affineurApp(options: AffineurAppOptions): ApplicationFunction {
  return async (app: Probot, { addHandler }) => {
    app.onAny(async (context) => {
      const { duplicate } = await options.queue.enqueue({
        deliveryId: context.id,
        name: context.name,
        payload: context.payload,
        orderingKey: orderingKeyOf(context.payload),
      });
      if (duplicate)
        options.log.info({ deliveryId: context.id, event: context.name }, 'duplicate delivery ignored');
    });
    if (options.processEvents !== false) await startWorkers(app, options);
    addHandler(healthHandler(options.queue));
  };
}

/** Starts the queue workers for a Probot instance; also used by tests that call `probot.receive()`. */
export function startWorkers(app: Probot, options: AffineurAppOptions): Promise<void> {
  const auth = async (installationId: number) => (await app.auth(installationId)) as unknown as GitHubClient;
  options.merge?.attach({
    appClient: async () => (await app.auth()) as unknown as GitHubClient,
    installationClient: auth,
    enqueue: (event, enqueueOptions) => options.queue.enqueue(event, enqueueOptions),
  });
  return options.queue.process(async (event) => {
    const requests = await handleEvent(event, {
      auth,
      log: options.log,
      globalDryRun: options.globalDryRun,
      merge: options.merge,
    });
    options.onHandled?.(event.deliveryId, requests);
  });
}

/** `GET /healthz`: 200 with the app and queue status when the queue is usable, else 503. */
export function healthHandler(queue: EventQueue) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/healthz') return false;
    const health = await queue.health();
    res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: health.ok ? 'ok' : 'degraded', app: 'ok', queue: health }));
    return true;
  };
}
