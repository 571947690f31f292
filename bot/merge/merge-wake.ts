/**
 * Time-driven steps of the merge queue as events: when a PR's retry interval ends, or its CI
 * would time out, the queue enqueues a delayed `affineur_merge_wake` event for that PR, due at
 * that moment. When it comes due it runs like any webhook: a pass over the PR's base branch with
 * the PR in focus. It is stored with the other events (Redis with BullMQ), so a restart loses
 * none, and its delivery id names the PR, the reason and the due time, so scheduling the same
 * wake-up twice (every pass that sees the PR waiting does) stores it once.
 */
import type { QueuedEvent } from '../queue/queued-event.js';
import type { WakeRequest } from './merge-runtime.js';

export const wakeEventName = 'affineur_merge_wake';

/** What a wake event carries besides the repository and installation. */
export interface WakePayload {
  pull_request_number: number;
  base_ref: string;
  why: string;
}

export function wakeEvent(request: WakeRequest): QueuedEvent {
  const full = `${request.repo.owner}/${request.repo.repo}`;
  const due = request.at.toISOString();
  return {
    deliveryId: `merge-wake:${full}#${request.number}:${request.why}:${due}`,
    name: wakeEventName,
    payload: {
      installation: { id: request.installationId },
      repository: { name: request.repo.repo, full_name: full, owner: { login: request.repo.owner } },
      pull_request_number: request.number,
      base_ref: request.baseRef,
      why: request.why,
    } satisfies WakePayload & Record<string, unknown>,
    orderingKey: full.toLowerCase(),
  };
}
