/**
 * The safety net under the event-driven queue: every interval, each repository the app is
 * installed on gets a sweep event on the ordinary event queue, so an event GitHub never
 * delivered still moves the queue. Retries and CI timeouts do not wait for it: they are delayed
 * events of their own (merge-wake.ts), due on time; the sweep only catches what was lost. Every bot process
 * runs this timer; the sweep's delivery id names the repository and the time slot, so the
 * queue's own de-duplication keeps it to one sweep per repository per interval.
 */
import type { Logger } from '../../src/log/logger.js';
import type { GitHubClient } from '../github/github-client.js';
import type { EnqueueOptions } from '../queue/event-queue.js';
import type { QueuedEvent } from '../queue/queued-event.js';
import { sweepEventName } from './merge-trigger.js';

export interface MergeSweepOptions {
  intervalMs: number;
  /** The app-level (JWT) client. */
  appClient: () => Promise<GitHubClient>;
  installationClient: (installationId: number) => Promise<GitHubClient>;
  enqueue: (event: QueuedEvent, options?: EnqueueOptions) => Promise<unknown>;
  log: Pick<Logger, 'warn'>;
  now?: () => number;
}

export function startMergeSweep(options: MergeSweepOptions): { stop(): void } {
  const now = options.now ?? Date.now;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await sweepOnce(options, Math.floor(now() / options.intervalMs));
    } catch (error) {
      options.log.warn({ err: error }, 'merge sweep failed; the next one will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export async function sweepOnce(options: MergeSweepOptions, slot: number): Promise<number> {
  const app = await options.appClient();
  const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
  let enqueued = 0;
  for (const installation of installations) {
    const octokit = await options.installationClient(installation.id);
    const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
      per_page: 100,
    });
    for (const repo of repos) {
      await options.enqueue({
        deliveryId: `merge-sweep:${repo.full_name}:${slot}`,
        name: sweepEventName,
        payload: {
          installation: { id: installation.id },
          repository: { name: repo.name, full_name: repo.full_name, owner: { login: repo.owner.login } },
        },
        orderingKey: repo.full_name.toLowerCase(),
      });
      enqueued++;
    }
  }
  return enqueued;
}
