/**
 * Keeps the weekly report in one issue, found by its label and rewritten in place when the
 * last report is older than `report.every`; created the first time.
 */
import type { Logger } from '../../src/log/logger.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { buildWeeklyReport } from './weekly-report.js';

export type ReportOutcome = 'disabled' | 'created' | 'updated' | 'not-due';

export async function updateReportIssue(options: {
  octokit: GitHubClient;
  repo: RepoRef;
  config: Pick<RepoConfig, 'housekeeping' | 'triage' | 'merge'>;
  dryRun: boolean;
  now: number;
  log: Pick<Logger, 'info'>;
}): Promise<ReportOutcome> {
  const { octokit, repo, config, dryRun, now, log } = options;
  const settings = config.housekeeping.report;
  const existing = (
    await octokit.rest.issues.listForRepo({ ...repo, labels: settings.label, state: 'open', per_page: 10 })
  ).data.find((issue) => !issue.pull_request);
  if (existing && now - Date.parse(existing.updated_at) < settings.every) return 'not-due';
  const pulls = await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: 'open', per_page: 100 });
  const body = buildWeeklyReport(
    pulls.map((pr) => ({
      number: pr.number,
      title: pr.title,
      author: pr.user?.login ?? 'ghost',
      draft: pr.draft === true,
      labels: pr.labels.map((l) => l.name),
      baseRef: pr.base.ref,
      updatedAt: pr.updated_at,
    })),
    config,
    now,
  );
  const outcome = existing ? 'updated' : 'created';
  log.info(
    { repo: `${repo.owner}/${repo.repo}`, dryRun, issue: existing?.number },
    `${dryRun ? 'dry run: would have ' : ''}${outcome} the weekly report`,
  );
  if (dryRun) return outcome;
  if (existing) {
    await octokit.rest.issues.update({ ...repo, issue_number: existing.number, title: settings.title, body });
  } else {
    await octokit.rest.issues.create({ ...repo, title: settings.title, body, labels: [settings.label] });
  }
  return outcome;
}
