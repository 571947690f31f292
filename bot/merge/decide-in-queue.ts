/**
 * The policy plus time: what `decideNextStep` says, adjusted for the two rules that depend on
 * the clock, so that the queue never gets stuck and never hammers a failing PR:
 * - a PR waiting out `retry.interval` steps aside (the next PR proceeds) until its retry is due;
 * - a PR whose CI has been running longer than `ciTimeout` is taken out for a human.
 * Pure: the clock is an argument.
 */
import { formatDuration } from '../../src/config/duration.js';
import type { ConditionResult } from './conditions.js';
import { decideNextStep, type MergeDecision } from './decide-next-step.js';
import type { MergeCheckRun } from './gather-pull-request-facts.js';
import { decodeMergeCheckState } from './merge-check-state.js';
import type { MergeQueueSettings } from './merge-settings-from-config.js';
import type { PullRequestFacts } from './pull-request-facts.js';

export type QueueDecision = MergeDecision | { kind: 'retry-pending'; until: string; reason: string };

export interface QueueStep {
  decision: QueueDecision;
  conditions: ConditionResult[];
}

export interface QueueInput {
  facts: PullRequestFacts;
  mergeCheck: Pick<MergeCheckRun, 'externalId' | 'startedAt'> | undefined;
  ciPendingSince: string | undefined;
}

export function decideInQueue(
  input: QueueInput,
  settings: Pick<MergeQueueSettings, 'policy' | 'commitMessage' | 'ciTimeoutMs'>,
  now: Date,
): QueueStep {
  const step = decideNextStep(input.facts, settings.policy, settings.commitMessage);
  const { decision, conditions } = step;

  if (decision.kind === 'retry' || decision.kind === 'merge') {
    const { retryAt } = decodeMergeCheckState(input.mergeCheck?.externalId);
    if (retryAt && Date.parse(retryAt) > now.getTime()) {
      const reason = decision.kind === 'retry' ? decision.reason : 'the last merge attempt failed';
      return { decision: { kind: 'retry-pending', until: retryAt, reason }, conditions };
    }
  }

  if (decision.kind === 'wait') {
    const ci = conditions.find((c) => c.id === 'ci');
    const since = input.ciPendingSince ?? input.mergeCheck?.startedAt;
    if (ci?.status === 'pending' && since && now.getTime() - Date.parse(since) > settings.ciTimeoutMs) {
      return {
        decision: {
          kind: 'needs-human',
          reasons: [`CI: timed out after ${formatDuration(settings.ciTimeoutMs)} (${ci.reason})`],
        },
        conditions,
      };
    }
  }
  return step;
}
