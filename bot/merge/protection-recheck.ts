/**
 * Right before a merge, branch protection is read again when the cached copy is older than a
 * minute: a `branch_protection_rule` webhook clears the cache at once, but a webhook can be
 * lost, and a pass that rebased other PRs first may have read it long ago. If the fresh rules
 * no longer let the PR through (more approvals, a new required check, stale approvals dismissed,
 * up to date required), the merge waits for a new evaluation.
 */
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { evaluateConditions } from './conditions.js';
import type { MergeRuntime } from './merge-runtime.js';
import type { MergeSettings } from './merge-settings.js';
import type { PullRequestFacts } from './pull-request-facts.js';

export const protectionMaxAgeBeforeMergeMs = 60_000;

export async function protectionStillAllows(
  ctx: { octokit: GitHubClient; repo: RepoRef; runtime: Pick<MergeRuntime, 'protection'> },
  facts: PullRequestFacts,
  settings: MergeSettings,
): Promise<boolean> {
  const fresh = await ctx.runtime.protection.get(
    ctx.octokit,
    ctx.repo,
    facts.baseRef,
    protectionMaxAgeBeforeMergeMs,
  );
  if (fresh?.strict && facts.behindBase) return false;
  const protection = fresh && { ...fresh, strict: fresh.strict || facts.protection?.strict === true };
  return evaluateConditions({ ...facts, protection }, settings).every(
    (condition) => condition.status === 'pass',
  );
}
