/**
 * Carries out triage actions with Octokit, or, in dry-run mode, only logs them: one structured
 * line per action, so a maintainer can read what the bot would have done.
 */
import type { Logger } from '../../src/log/logger.js';
import type { LabelDefinition } from '../config/default-labels.js';
import type { TriageAction } from '../triage/triage-action.js';
import type { GitHubClient, RepoRef } from './github-client.js';

export async function executeActions(
  octokit: GitHubClient,
  repo: RepoRef,
  actions: readonly TriageAction[],
  options: { dryRun: boolean; log: Pick<Logger, 'info'> },
): Promise<void> {
  for (const action of actions) {
    options.log.info(
      { dryRun: options.dryRun, repo: `${repo.owner}/${repo.repo}`, action },
      `${options.dryRun ? 'dry run: would ' : ''}${action.type}`,
    );
    if (!options.dryRun) await execute(octokit, repo, action);
  }
}

async function execute(octokit: GitHubClient, repo: RepoRef, action: TriageAction): Promise<void> {
  switch (action.type) {
    case 'add-labels':
      await octokit.rest.issues.addLabels({ ...repo, issue_number: action.issue, labels: action.labels });
      return;
    case 'remove-label':
      try {
        await octokit.rest.issues.removeLabel({ ...repo, issue_number: action.issue, name: action.label });
      } catch (error) {
        // Someone removed it since the event was sent: the wanted state holds.
        if ((error as { status?: number }).status !== 404) throw error;
      }
      return;
    case 'set-milestone':
      await octokit.rest.issues.update({ ...repo, issue_number: action.issue, milestone: action.milestone });
      return;
    case 'comment':
      await octokit.rest.issues.createComment({ ...repo, issue_number: action.issue, body: action.body });
      return;
    case 'create-label':
      try {
        await octokit.rest.issues.createLabel({ ...repo, ...action.label });
      } catch (error) {
        // Created since the plan was made (two syncs of one repository can overlap: an
        // installation event and a config push are ordered apart). Make it match instead.
        if ((error as { status?: number }).status !== 422) throw error;
        await updateLabel(octokit, repo, action.label);
      }
      return;
    case 'update-label':
      await updateLabel(octokit, repo, action.label);
      return;
    case 'delete-label':
      await octokit.rest.issues.deleteLabel({ ...repo, name: action.name });
      return;
  }
}

function updateLabel(octokit: GitHubClient, repo: RepoRef, label: LabelDefinition) {
  return octokit.rest.issues.updateLabel({
    ...repo,
    name: label.name,
    new_name: label.name,
    color: label.color,
    description: label.description,
  });
}
