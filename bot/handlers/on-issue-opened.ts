import { executeActions } from '../github/action-executor.js';
import { triageOpenedIssue } from '../triage/triage-issue.js';
import { isFirstContribution, welcomeComment } from '../triage/welcome-comment.js';
import { type EventContext, type IssuePayload, isBot, labelNames } from './event-context.js';
import { configOrReport, dryRunFor } from './repo-config-gate.js';

export async function onIssueOpened(context: EventContext, issue: IssuePayload): Promise<void> {
  // An issue opened with labels by a known contributor needs nothing: skip the config lookup.
  if (labelNames(issue.labels).length > 0 && !isFirstContribution(issue.author_association)) return;
  const config = await configOrReport(context);
  if (!config) return;
  const actions = [
    ...triageOpenedIssue({ number: issue.number, labels: labelNames(issue.labels) }, config.triage),
    ...welcomeComment(
      {
        issue: issue.number,
        author: issue.user?.login ?? 'ghost',
        authorAssociation: issue.author_association,
        authorIsBot: isBot(issue.user),
      },
      config.triage,
    ),
  ];
  await executeActions(context.octokit, context.repo, actions, {
    dryRun: dryRunFor(context, config),
    log: context.log,
  });
}
