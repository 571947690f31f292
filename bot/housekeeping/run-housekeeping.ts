/**
 * One housekeeping run on one repository: the stale and lock searches of housekeeping-plan.ts,
 * oldest first, acted on up to `maxActionsPerRun` items, then the weekly report. With `dryRun`
 * nothing is written; the result lists what would have been done either way.
 */
import type { Logger } from '../../src/log/logger.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import {
  type HousekeepingStep,
  type PlannedSearch,
  planLockSearch,
  planStaleSearches,
} from './housekeeping-plan.js';
import { type ReportOutcome, updateReportIssue } from './report-issue.js';

export interface HousekeepingItem {
  number: number;
  title: string;
  step: HousekeepingStep;
  rule: string;
}

export interface HousekeepingResult {
  repo: string;
  dryRun: boolean;
  items: HousekeepingItem[];
  /** True when more items matched than `maxActionsPerRun` allowed; the next run goes on. */
  capped: boolean;
  report: ReportOutcome;
}

export interface HousekeepingOptions {
  octokit: GitHubClient;
  repo: RepoRef;
  config: Pick<RepoConfig, 'housekeeping' | 'triage' | 'merge'>;
  dryRun: boolean;
  log: Pick<Logger, 'info' | 'warn'>;
  /** Epoch ms; the clock every age is measured against. */
  now: number;
  /** Overrides `housekeeping.maxActionsPerRun` (the CLI's `--max`). */
  max?: number | undefined;
}

export async function runHousekeeping(options: HousekeepingOptions): Promise<HousekeepingResult> {
  const { octokit, repo, config, dryRun, log, now } = options;
  const fullName = `${repo.owner}/${repo.repo}`;
  const cap = options.max ?? config.housekeeping.maxActionsPerRun;
  const searches: PlannedSearch[] = [
    ...planStaleSearches(fullName, config.housekeeping.stale, now),
    ...[planLockSearch(fullName, config.housekeeping.lock, now)].filter((s) => s !== undefined),
  ];
  const items: HousekeepingItem[] = [];
  const seen = new Set<number>();
  let capped = false;
  for (const search of searches) {
    // One page (100) per search and run; a capped or larger backlog is the next run's.
    const found = await searchPage(octokit, search.query);
    let handled = 0;
    for (const hit of found.items) {
      // One action per item and run: an item two rules match is handled by the first.
      if (seen.has(hit.number)) {
        handled++;
        continue;
      }
      if (items.length >= cap) break;
      if (search.step === 'unmark-stale' && !(await activeSinceMark(octokit, repo, hit.number, search))) {
        handled++;
        continue;
      }
      seen.add(hit.number);
      handled++;
      const item = { number: hit.number, title: hit.title, step: search.step, rule: search.rule };
      items.push(item);
      log.info(
        { repo: fullName, dryRun, ...item, query: search.query },
        `${dryRun ? 'dry run: would ' : ''}${search.step} #${hit.number}`,
      );
      if (!dryRun) await act(octokit, repo, hit.number, search);
    }
    if (found.total_count > handled) capped = true;
  }
  const report = config.housekeeping.report.enabled
    ? await updateReportIssue({ octokit, repo, config, dryRun, now, log })
    : 'disabled';
  return { repo: fullName, dryRun, items, capped, report };
}

/** Oldest update first, so a capped run takes the longest-forgotten items. */
async function searchPage(octokit: GitHubClient, q: string) {
  const { data } = await octokit.rest.search.issuesAndPullRequests({
    q,
    sort: 'updated',
    order: 'asc',
    per_page: 100,
  });
  return data;
}

/**
 * Whether someone other than a bot commented after the stale mark, within the window. Our own
 * mark updates the item too, so its update time alone says nothing.
 */
async function activeSinceMark(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  search: PlannedSearch,
): Promise<boolean> {
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...repo,
    issue_number: number,
    since: search.since,
    per_page: 100,
  });
  const mark = comments.findLastIndex((c) => c.body === search.markMessage);
  return comments
    .slice(mark + 1)
    .some((c) => c.user?.type !== 'Bot' && !(c.user?.login ?? '').endsWith('[bot]'));
}

async function act(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  search: PlannedSearch,
): Promise<void> {
  const issue = { ...repo, issue_number: number };
  if (search.step === 'unmark-stale') {
    try {
      await octokit.rest.issues.removeLabel({ ...issue, name: search.label ?? '' });
    } catch (error) {
      // Someone took it off already: the wanted state holds.
      if ((error as { status?: number }).status !== 404) throw error;
    }
    return;
  }
  if (search.message) await octokit.rest.issues.createComment({ ...issue, body: search.message });
  if (search.label) await octokit.rest.issues.addLabels({ ...issue, labels: [search.label] });
  switch (search.step) {
    case 'close':
    case 'close-stale':
      await octokit.rest.issues.update({ ...issue, state: 'closed', state_reason: 'not_planned' });
      return;
    case 'lock':
      await octokit.rest.issues.lock({ ...issue, lock_reason: 'resolved' });
      return;
    case 'mark-stale':
      return;
  }
}
