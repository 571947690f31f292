/**
 * The housekeeping event: not a webhook but a tick the schedule puts on the ordinary event
 * queue for each repository, so housekeeping runs in the repository's order with its other
 * events, with the queue's retries, on whichever worker is free.
 */

import type { EventContext } from '../handlers/event-context.js';
import { configOrReport, dryRunFor } from '../handlers/repo-config-gate.js';
import type { QueuedEvent } from '../queue/queued-event.js';
import { runHousekeeping } from './run-housekeeping.js';

export const housekeepingEventName = 'affineur.housekeeping';

export function housekeepingEvent(
  installationId: number,
  repo: { name: string; full_name: string; owner: { login: string } },
  tick: string,
): QueuedEvent {
  return {
    // Names the repository and the tick: every replica may schedule the same tick, the queue
    // keeps one.
    deliveryId: `housekeeping:${repo.full_name}:${tick}`,
    name: housekeepingEventName,
    payload: {
      installation: { id: installationId },
      repository: { name: repo.name, full_name: repo.full_name, owner: { login: repo.owner.login } },
    },
    orderingKey: repo.full_name.toLowerCase(),
  };
}

export async function onHousekeeping(context: EventContext, now: number = Date.now()): Promise<void> {
  const config = await configOrReport(context);
  const housekeeping = config?.housekeeping;
  if (!config || !housekeeping) return;
  if (housekeeping.stale.length === 0 && !housekeeping.lock && !housekeeping.report.enabled) return;
  const result = await runHousekeeping({
    octokit: context.octokit,
    repo: context.repo,
    config,
    dryRun: dryRunFor(context, config),
    log: context.log,
    now,
  });
  context.log.info(
    { repo: result.repo, acted: result.items.length, capped: result.capped, report: result.report },
    'housekeeping done',
  );
}
