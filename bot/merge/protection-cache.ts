/**
 * Branch protection, read through a short per-process cache: every PR of a queue shares its
 * base branch's protection, and it changes rarely, so re-reading it for each PR of each pass
 * would be most of the bot's requests. A `branch_protection_rule` webhook drops the entry at
 * once; and since a webhook can be lost, the merge itself re-reads an entry older than a minute
 * (`maxAgeMs`) right before merging (see protection-recheck.ts).
 *
 * Reading protection needs the app's `administration: read` permission. Without it (403), the
 * required checks come from the branch itself (`GET /branches/{b}`, readable with `contents`),
 * and `strict` is inferred later from the PR's `mergeable_state` (see gather-pull-request-facts).
 */
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import type { BranchProtectionFact } from './pull-request-facts.js';

export interface ProtectionCache {
  /** The cached protection, read again when it is older than `maxAgeMs` (the cache's TTL by default). */
  get(
    octokit: GitHubClient,
    repo: RepoRef,
    branch: string,
    maxAgeMs?: number,
  ): Promise<BranchProtectionFact | undefined>;
  /** Forgets a repository's entries (all branches). */
  forget(repo: RepoRef): void;
}

export function createProtectionCache(options: { ttlMs?: number; now?: () => number } = {}): ProtectionCache {
  const ttlMs = options.ttlMs ?? 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { value: BranchProtectionFact | undefined; readAt: number }>();
  /** Bumped by `forget`: a read that started before a protection change is not cached. */
  const generations = new Map<string, number>();
  const repoKey = (repo: RepoRef) => `${repo.owner}/${repo.repo}`.toLowerCase();
  return {
    async get(octokit, repo, branch, maxAgeMs = ttlMs) {
      const key = `${repoKey(repo)}:${branch}`;
      const cached = entries.get(key);
      if (cached && now() - cached.readAt < Math.min(maxAgeMs, ttlMs)) return cached.value;
      const readAt = now();
      const generation = generations.get(repoKey(repo)) ?? 0;
      const value = await readProtection(octokit, repo, branch);
      if ((generations.get(repoKey(repo)) ?? 0) === generation) entries.set(key, { value, readAt });
      return value;
    },
    forget(repo) {
      generations.set(repoKey(repo), (generations.get(repoKey(repo)) ?? 0) + 1);
      const prefix = `${repoKey(repo)}:`;
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}

const statusOf = (error: unknown) => (error as { status?: number }).status;

async function readProtection(
  octokit: GitHubClient,
  repo: RepoRef,
  branch: string,
): Promise<BranchProtectionFact | undefined> {
  try {
    const { data } = await octokit.rest.repos.getBranchProtection({ ...repo, branch });
    const checks = data.required_status_checks;
    return {
      requiredChecks: [
        ...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map((c) => c.context)]),
      ],
      strict: checks?.strict ?? false,
      requiredApprovals: data.required_pull_request_reviews?.required_approving_review_count ?? 0,
      dismissStaleReviews: data.required_pull_request_reviews?.dismiss_stale_reviews ?? false,
    };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    if (statusOf(error) !== 403) throw error;
  }
  try {
    const { data } = await octokit.rest.repos.getBranch({ ...repo, branch });
    if (!data.protected) return undefined;
    const checks = data.protection.required_status_checks;
    return {
      requiredChecks: [
        ...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map((c) => c.context)]),
      ],
      strict: false,
      requiredApprovals: 0,
    };
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}
