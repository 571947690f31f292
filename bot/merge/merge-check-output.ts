import type { ConditionResult } from './conditions.js';
import type { MergeDecision } from './decide-next-step.js';

export interface CheckRunOutput {
  status: 'in_progress' | 'completed';
  conclusion: 'success' | 'failure' | 'neutral' | undefined;
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
        title: 'Ready to merge',
        text: `merge with \`${decision.method}\` at ${decision.sha.slice(0, 7)}`,
        status: 'completed',
        conclusion: 'success',
      };
  }
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
