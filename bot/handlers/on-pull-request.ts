import { repoConfigPath } from '../config/repo-config-schema.js';
import { executeActions } from '../github/action-executor.js';
import { checkConfigChange } from '../github/config-check-run.js';
import { currentLabels } from '../github/current-labels.js';
import type { MilestoneFacts } from '../triage/pull-request-facts.js';
import { milestoneToSet, triagePullRequest } from '../triage/triage-pull-request.js';
import { welcomeComment } from '../triage/welcome-comment.js';
import { type EventContext, isBot, labelNames, type PullRequestPayload } from './event-context.js';
import { configOrReport, dryRunFor } from './repo-config-gate.js';

/** PR opened, reopened or pushed to: labels, milestone, welcome, and the config check. */
export async function onPullRequest(
  context: EventContext,
  pr: PullRequestPayload,
  action: string,
): Promise<void> {
  const { octokit, repo } = context;
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    ...repo,
    pull_number: pr.number,
    per_page: 100,
  });
  // Checked before the default branch's config: a PR fixing a broken config must get its check.
  if (files.some((f) => f.filename === repoConfigPath && f.status !== 'removed')) {
    await checkConfigChange(octokit, repo, pr.head.sha, context.globalDryRun);
  }
  const config = await configOrReport(context);
  if (!config) return;

  // An opened PR's payload is fresh. A later event's may predate the bot's work on the earlier
  // ones (a push right after opening), and a stale size label must be seen to be replaced.
  const labels = action === 'opened' ? labelNames(pr.labels) : await currentLabels(octokit, repo, pr.number);
  const facts = {
    number: pr.number,
    title: pr.title,
    labels,
    baseRef: pr.base.ref,
    milestone: pr.milestone?.number,
    files: files.map((f) => ({ filename: f.filename, additions: f.additions, deletions: f.deletions })),
    draft: pr.draft === true,
    opening: action === 'opened' || action === 'reopened',
  };
  // Milestones are only fetched when the PR has none and its base branch names one.
  let milestones: MilestoneFacts[] = [];
  if (milestoneToSet(facts, config.triage) !== undefined) {
    const listed = await octokit.paginate(octokit.rest.issues.listMilestones, {
      ...repo,
      // Closed ones too: aloba falls back to a closed milestone when no open one matches.
      state: config.triage.milestone.includeClosed ? 'all' : 'open',
      per_page: 100,
    });
    milestones = listed.map((m) => ({
      number: m.number,
      title: m.title,
      state: m.state as 'open' | 'closed',
    }));
  }
  const actions = triagePullRequest(facts, config.triage, milestones);
  if (action === 'opened') {
    actions.push(
      ...welcomeComment(
        {
          issue: pr.number,
          author: pr.user?.login ?? 'ghost',
          authorAssociation: pr.author_association,
          authorIsBot: isBot(pr.user),
        },
        config.triage,
      ),
    );
  }
  await executeActions(octokit, repo, actions, { dryRun: dryRunFor(context, config), log: context.log });
}
