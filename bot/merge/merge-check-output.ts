import type { ConditionResult } from './conditions.js';
import type { MergeDecision } from './decide-next-step.js';

export interface CheckRunOutput {
  status: 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | undefined;
  title: string;
  summary: string;
}

const marks = { pass: '✓', pending: '…', fail: '✗', retry: '✗' } as const;

/**
 * The `affineur/merge` check run: every condition with ✓ or ✗ and its reason, and what the
 * bot will do next. It shows on the PR head, so everyone sees why a PR is or is not merging.
 */
export function mergeCheckOutput(
  conditions: readonly ConditionResult[],
  decision: MergeDecision,
): CheckRunOutput {
  const table = conditions.map((c) => `- ${marks[c.status]} **${c.title}**: ${c.reason}`).join('\n');
  const next = describeDecision(decision);
  const summary = `${table}\n\n**Next:** ${next.text}`;
  return { status: next.status, conclusion: next.conclusion, title: next.title, summary };
}

function describeDecision(decision: MergeDecision): {
  title: string;
  text: string;
  status: CheckRunOutput['status'];
  conclusion: CheckRunOutput['conclusion'];
} {
  switch (decision.kind) {
    case 'skip':
      return { title: 'Not queued', text: decision.reason, status: 'completed', conclusion: 'neutral' };
    case 'paused':
      return {
        title: 'Paused',
        text: `paused (${decision.reason}); it resumes by itself, no human label needed`,
        status: 'completed',
        conclusion: 'neutral',
      };
    case 'wait':
      return {
        title: 'Waiting',
        text: `waiting (${decision.reason})`,
        status: 'in_progress',
        conclusion: undefined,
      };
    case 'needs-human':
      return {
        title: 'A human is needed',
        text: decision.reasons.join('; '),
        status: 'completed',
        conclusion: 'failure',
      };
    case 'retry':
      return {
        title: `Retry ${decision.attempt}`,
        text: `retrying after ${decision.reason}`,
        status: 'in_progress',
        conclusion: undefined,
      };
    case 'update':
      return {
        title: 'Updating the branch',
        text: `${decision.reason}: bringing it up to date (${decision.strategy})`,
        status: 'in_progress',
        conclusion: undefined,
      };
    case 'merge':
      return {
        title: 'Merging',
        text: `${mergeText(decision)} at ${decision.sha.slice(0, 7)}`,
        status: 'in_progress',
        conclusion: undefined,
      };
  }
}

type Merge = Extract<MergeDecision, { kind: 'merge' }>;

function mergeText(decision: Merge): string {
  if (!decision.mergeBack) return `merge with \`${decision.method}\``;
  return decision.method === 'ff'
    ? 'merge-back: fast-forward the base to the release branch'
    : 'merge-back: a merge commit on the base (the release branch is never rewritten)';
}

const table = (conditions: readonly ConditionResult[]) =>
  conditions.map((c) => `- ${marks[c.status]} **${c.title}**: ${c.reason}`).join('\n');

/** The merge went through: the last word on this head. */
export function mergedCheckOutput(
  conditions: readonly ConditionResult[],
  decision: Merge,
  how: string,
): CheckRunOutput {
  return {
    status: 'completed',
    conclusion: 'success',
    title: 'Merged',
    summary: `${table(conditions)}\n\n**Outcome:** ${how} at ${decision.sha.slice(0, 7)}`,
  };
}

/** Before a branch update: the bot is pushing to this PR's branch. */
export function updatingCheckOutput(
  conditions: readonly ConditionResult[],
  reason: string,
  strategy: string,
): CheckRunOutput {
  return {
    status: 'in_progress',
    conclusion: undefined,
    title: 'Updating the branch',
    summary: `${table(conditions)}\n\n**Next:** ${reason}: bringing it up to date (${strategy})`,
  };
}

/** What a dry run would have done, and that nothing was changed. */
export function dryRunCheckOutput(conditions: readonly ConditionResult[], wouldDo: string): CheckRunOutput {
  return {
    status: 'completed',
    conclusion: 'neutral',
    title: `Dry run: ${wouldDo.split(' at ')[0]}`,
    summary: `${table(conditions)}\n\n**Dry run:** ${wouldDo}; nothing was changed`,
  };
}

/** Taken out of the queue by a maintainer (`/merge cancel`, or the ready label removed). */
export function cancelledCheckOutput(text: string): CheckRunOutput {
  return { status: 'completed', conclusion: 'cancelled', title: 'Cancelled', summary: text };
}

/** Where the PR stands when it is not the one the queue works on. */
export function queuedCheckOutput(
  conditions: readonly ConditionResult[],
  aheadOf: number,
  position: number,
): CheckRunOutput {
  const table = conditions.map((c) => `- ${marks[c.status]} **${c.title}**: ${c.reason}`).join('\n');
  return {
    status: 'in_progress',
    conclusion: undefined,
    title: `Queued (position ${position})`,
    summary: `${table}\n\n**Next:** waiting for #${aheadOf}, ahead in the queue for this base branch`,
  };
}

/** A PR that waits out `retry.interval` before its next attempt; the next PR proceeds meanwhile. */
export function retryPendingCheckOutput(
  conditions: readonly ConditionResult[],
  reason: string,
  until: string,
): CheckRunOutput {
  const table = conditions.map((c) => `- ${marks[c.status]} **${c.title}**: ${c.reason}`).join('\n');
  return {
    status: 'in_progress',
    conclusion: undefined,
    title: 'Waiting to retry',
    summary: `${table}\n\n**Next:** ${reason}; trying again after ${until}, the next PR goes first meanwhile`,
  };
}

/** The outcome the bot reached on a head it does not look at again (merged, or replaced). */
export function finalCheckOutput(
  conclusion: 'success' | 'neutral',
  title: string,
  text: string,
  conditions: readonly ConditionResult[] = [],
): CheckRunOutput {
  const table = conditions.map((c) => `- ${marks[c.status]} **${c.title}**: ${c.reason}`).join('\n');
  return {
    status: 'completed',
    conclusion,
    title,
    summary: table === '' ? text : `${table}\n\n**Outcome:** ${text}`,
  };
}
