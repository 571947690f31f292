/**
 * What a `/merge` comment does, as plain actions: `/merge [method]` from someone with write
 * access puts the PR in the queue (the ready label, and the method label when one is named),
 * `/merge cancel` takes it out; anyone else gets a polite refusal and nothing changes.
 */
import { hasLabel, type TriageAction } from '../triage/triage-action.js';
import type { MergeCommand } from './merge-command.js';
import type { MergeSettings } from './merge-settings.js';

const canWrite = new Set(['admin', 'maintain', 'write']);

export interface MergeCommandInput {
  number: number;
  author: string;
  permission: string;
  labels: readonly string[];
  open: boolean;
}

export interface MergeCommandPlan {
  actions: TriageAction[];
  /** Whether the queue should run now (the PR joined or left it). */
  runQueue: boolean;
}

export function planMergeCommand(
  command: MergeCommand | { kind: 'invalid'; reason: string },
  input: MergeCommandInput,
  settings: Pick<
    MergeSettings,
    'readyLabel' | 'inProgressLabel' | 'needHumanLabel' | 'methodLabelPrefix' | 'retryLabelPrefix'
  >,
): MergeCommandPlan {
  const comment = (body: string, reason: string): MergeCommandPlan => ({
    actions: [{ type: 'comment', issue: input.number, body, reason }],
    runQueue: false,
  });
  if (!canWrite.has(input.permission)) {
    return comment(
      `Thanks @${input.author}! Only people with write access to this repository can use \`/merge\`, so nothing changed. A maintainer will take it from here.`,
      `/merge from ${input.author} without write permission (${input.permission})`,
    );
  }
  if (command.kind === 'invalid')
    return comment(`:no_entry_sign: ${command.reason}`, 'invalid /merge command');
  if (!input.open) return comment(':no_entry_sign: This pull request is closed.', '/merge on a closed PR');

  const remove = (labels: string[], reason: string): TriageAction[] =>
    [...new Set(labels)]
      .filter((label) => hasLabel(input.labels, label))
      .map((label) => ({ type: 'remove-label', issue: input.number, label, reason }));
  const methodLabels = input.labels.filter((l) => l.startsWith(settings.methodLabelPrefix));
  const retryLabels = input.labels.filter((l) => l.startsWith(settings.retryLabelPrefix));

  if (command.kind === 'cancel') {
    return {
      actions: remove(
        [settings.readyLabel, settings.inProgressLabel, ...methodLabels, ...retryLabels],
        `/merge cancel by ${input.author}`,
      ),
      runQueue: true,
    };
  }
  const method = command.method && `${settings.methodLabelPrefix}${command.method}`;
  const wanted = [settings.readyLabel, ...(method ? [method] : [])].filter((l) => !hasLabel(input.labels, l));
  const reason = `/merge${command.method ? ` ${command.method}` : ''} by ${input.author}`;
  return {
    actions: [
      // A named method replaces any other one (two method labels would stop the merge); asking
      // again also clears an earlier "needs a human" and its retries: a maintainer vouches for it.
      ...remove(
        [
          ...(method ? methodLabels.filter((l) => l !== method) : []),
          settings.needHumanLabel,
          ...retryLabels,
        ],
        reason,
      ),
      ...(wanted.length > 0
        ? [{ type: 'add-labels' as const, issue: input.number, labels: wanted, reason }]
        : []),
    ],
    runQueue: true,
  };
}
