import { executeActions } from '../github/action-executor.js';
import type { EventContext } from '../handlers/event-context.js';
import { parseMergeCommand } from './merge-command.js';
import { planMergeCommand } from './merge-command-actions.js';
import type { MergeQueueSettings } from './merge-settings-from-config.js';
import type { MergeTrigger } from './merge-trigger.js';

/** What a `/merge` comment led to: the base whose queue should run now, and whether it cancelled. */
export interface MergeCommandOutcome {
  base: string | undefined;
  cancelled: boolean;
  headSha: string;
}

/**
 * A `/merge` comment: checks the commenter's permission, changes the labels, and resolves to the
 * PR's base branch when its queue should run now.
 */
export async function onMergeCommand(
  context: EventContext,
  command: Extract<MergeTrigger, { kind: 'command' }>,
  settings: MergeQueueSettings,
): Promise<MergeCommandOutcome | undefined> {
  const parsed = parseMergeCommand(command.body);
  if (!parsed || command.authorIsBot) return undefined;
  const { octokit, repo } = context;
  const [{ data: permission }, { data: pull }] = await Promise.all([
    octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: command.author }),
    octokit.rest.pulls.get({ ...repo, pull_number: command.number }),
  ]);
  const plan = planMergeCommand(
    parsed,
    {
      number: command.number,
      author: command.author,
      permission: permission.permission,
      labels: pull.labels.map((l) => l.name ?? ''),
      open: pull.state === 'open',
    },
    settings.policy,
  );
  await executeActions(octokit, repo, plan.actions, { dryRun: settings.dryRun, log: context.log });
  return {
    base: plan.runQueue ? pull.base.ref : undefined,
    // The plan ran (a writer asked, the PR is open): the PR has left the queue.
    cancelled: parsed.kind === 'cancel' && plan.runQueue,
    headSha: pull.head.sha,
  };
}
