/**
 * The branch protection cache against the sandbox forge: a `branch_protection_rule` event
 * (`forget`) drops it at once, and the read right before a merge re-reads an entry older than a
 * minute, while the queue's ordinary reads keep using it.
 */
import { describe, expect, it } from 'vitest';
import type { GitHubClient } from '../../../../bot/github/github-client.js';
import { createProtectionCache } from '../../../../bot/merge/protection-cache.js';
import { protectionMaxAgeBeforeMergeMs } from '../../../../bot/merge/protection-recheck.js';
import { useForge } from '../../../support/forge-harness.js';

describe('the protection cache', () => {
  const harness = useForge([]);

  it('is dropped by forget, and re-read before a merge once older than a minute', async () => {
    const h = harness();
    const owner = h.forge.adminLogin;
    const repo = { owner, repo: `protected-${process.pid}` };
    await h.admin.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true });
    const protect = (approvals: number, dismissStale: boolean) =>
      h.admin.rest.repos.updateBranchProtection({
        ...repo,
        branch: 'main',
        required_status_checks: { strict: false, contexts: ['ci'] },
        enforce_admins: false,
        required_pull_request_reviews: {
          required_approving_review_count: approvals,
          dismiss_stale_reviews: dismissStale,
        },
        restrictions: null,
      });
    await protect(1, false);
    // The sandbox's app has no `administration: read`; the admin reads the full protection, as
    // the app does on GitHub with the permission app.yml asks for.
    const octokit = h.admin as unknown as GitHubClient;
    let clock = 1_000_000;
    const cache = createProtectionCache({ now: () => clock });

    expect(await cache.get(octokit, repo, 'main')).toEqual({
      requiredChecks: ['ci'],
      strict: false,
      requiredApprovals: 1,
      dismissStaleReviews: false,
    });
    await protect(2, true);
    // Within the minute, the queue's reads and the pre-merge read both use the cached copy.
    clock += 30_000;
    expect((await cache.get(octokit, repo, 'main'))?.requiredApprovals).toBe(1);
    expect((await cache.get(octokit, repo, 'main', protectionMaxAgeBeforeMergeMs))?.requiredApprovals).toBe(
      1,
    );
    // A branch_protection_rule event: the next read sees the change at once.
    cache.forget(repo);
    expect(await cache.get(octokit, repo, 'main')).toMatchObject({
      requiredApprovals: 2,
      dismissStaleReviews: true,
    });

    await protect(3, true);
    clock += protectionMaxAgeBeforeMergeMs + 1;
    expect((await cache.get(octokit, repo, 'main', protectionMaxAgeBeforeMergeMs))?.requiredApprovals).toBe(
      3,
    );
  }, 60_000);
});
