/**
 * The policy plus time: what `decideNextStep` says, adjusted for the two rules that depend on
 * the clock, so that the queue never gets stuck and never hammers a failing PR:
 * - a PR waiting out `retry.interval` steps aside (the next PR proceeds) until its retry is due,
 *   unless the CI that failed has turned green meanwhile: then it goes on at once;
 * - a PR whose CI has been running longer than `ciTimeout` is taken out for a human.
 * Each waiting step says when it is due (`wake`), so the queue can schedule a wake-up for that
 * moment instead of waiting for the next event or sweep. Pure: the clock is an argument.
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
  /** When this PR must be looked at again even if no event comes (ISO time), and why. */
  wake?: { at: string; why: 'retry' | 'ci-timeout' };
}

export interface QueueInput {
  facts: PullRequestFacts;
  mergeCheck: Pick<MergeCheckRun, 'externalId' | 'startedAt'> | undefined;
  ciPendingSince: string | undefined;
}

/**
 * A wake-up that fires a hair early (timers, clocks read in two places) still counts as due, so
 * it never has to be scheduled again.
 */
const dueToleranceMs = 100;

export function decideInQueue(
  input: QueueInput,
  settings: Pick<MergeQueueSettings, 'policy' | 'commitMessage' | 'ciTimeoutMs'>,
  now: Date,
): QueueStep {
  const step = decideNextStep(input.facts, settings.policy, settings.commitMessage);
  const { decision, conditions } = step;

  const { retryAt, retryOn } = decodeMergeCheckState(input.mergeCheck?.externalId);
  if (retryAt && Date.parse(retryAt) > now.getTime() + dueToleranceMs) {
    // Only failed CI (a retry, or the hand-over once retries are spent) and a failed merge wait
    // out the interval; a green CI goes on at once, and any other failure goes to a human now.
    const ciFailing = conditions.find((c) => c.id === 'ci')?.status === 'retry';
    const onlyCi = !conditions.some((c) => c.status === 'fail');
    const waits =
      (ciFailing && onlyCi && (decision.kind === 'retry' || decision.kind === 'needs-human')) ||
      // (A state written before `retryOn` existed is read as a failed merge: wait, to be safe.)
      (decision.kind === 'merge' && retryOn !== 'ci');
    if (waits) {
      const reason =
        decision.kind === 'retry'
          ? decision.reason
          : decision.kind === 'needs-human'
            ? `the last retry (${decision.reasons.join('; ')})`
            : 'the last merge attempt failed';
      return {
        decision: { kind: 'retry-pending', until: retryAt, reason },
        conditions,
        wake: { at: retryAt, why: 'retry' },
      };
    }
  }

  if (decision.kind === 'wait') {
    const ci = conditions.find((c) => c.id === 'ci');
    const since = input.ciPendingSince ?? input.mergeCheck?.startedAt;
    if (ci?.status === 'pending' && since) {
      const dueAt = Date.parse(since) + settings.ciTimeoutMs;
      if (now.getTime() > dueAt - dueToleranceMs) {
        return {
          decision: {
            kind: 'needs-human',
            reasons: [`CI: timed out after ${formatDuration(settings.ciTimeoutMs)} (${ci.reason})`],
          },
          conditions,
        };
      }
      return { ...step, wake: { at: new Date(dueAt).toISOString(), why: 'ci-timeout' } };
    }
  }
  return step;
}
