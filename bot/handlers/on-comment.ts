import { executeActions } from '../github/action-executor.js';
import { currentLabels } from '../github/current-labels.js';
import { canWriteLabels, decideLabelCommands, parseLabelCommands } from '../triage/label-command.js';
import {
  type EventContext,
  type IssuePayload,
  isBot,
  labelNames,
  type UserPayload,
} from './event-context.js';
import { configOrReport, dryRunFor } from './repo-config-gate.js';

/** `/label add|remove` commands in a new comment. Comments without a command cost no request. */
export async function onCommentCreated(
  context: EventContext,
  comment: { body: string; user: UserPayload | null },
  issue: IssuePayload,
): Promise<void> {
  const commands = parseLabelCommands(comment.body);
  if (commands.length === 0 || !comment.user || isBot(comment.user)) return;
  const config = await configOrReport(context);
  if (!config?.triage.enabled || !config.triage.commands.enabled) return;
  const { data } = await context.octokit.rest.repos.getCollaboratorPermissionLevel({
    ...context.repo,
    username: comment.user.login,
  });
  // Only a writer's commands change labels; only then are the current labels worth a request.
  const labels = canWriteLabels(data.permission)
    ? await currentLabels(context.octokit, context.repo, issue.number)
    : labelNames(issue.labels);
  const actions = decideLabelCommands(
    { issue: issue.number, author: comment.user.login, permission: data.permission, labels },
    commands,
    config.triage,
  );
  await executeActions(context.octokit, context.repo, actions, {
    dryRun: dryRunFor(context, config),
    log: context.log,
  });
}
