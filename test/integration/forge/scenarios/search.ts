import { describe, expect, it } from 'vitest';
import type { ForgeHarness } from '../../../support/forge-harness.js';

export function searchTests(h: () => ForgeHarness): void {
  describe('issue search', () => {
    it('finds issues and pull requests by qualifiers and text, sorted and paginated', async () => {
      const alice = h().as('alice');
      const repo = { owner: 'alice', repo: 'search' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'search', auto_init: true });
      const { data: bug } = await alice.rest.issues.create({
        ...repo,
        title: 'Router crashes',
        body: 'on empty hosts',
        labels: ['kind/bug', 'good first issue'],
      });
      const { data: idea } = await alice.rest.issues.create({
        ...repo,
        title: 'Add a cache',
        labels: ['kind/feature'],
      });
      await h()
        .as('bob')
        .rest.issues.create({ ...repo, title: 'Question about the router' });
      await alice.rest.issues.update({ ...repo, issue_number: idea.number, state: 'closed' });
      await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'fix.txt',
        message: 'Fix',
        content: Buffer.from('fix\n').toString('base64'),
        branch: 'main',
      });
      const { data: main } = await alice.rest.repos.getBranch({ ...repo, branch: 'main' });
      await alice.rest.git.createRef({ ...repo, ref: 'refs/heads/fix', sha: main.commit.sha });
      await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'fix2.txt',
        message: 'Fix more',
        content: Buffer.from('fix\n').toString('base64'),
        branch: 'fix',
      });
      const { data: pr } = await alice.rest.pulls.create({
        ...repo,
        title: 'Fix the router',
        head: 'fix',
        base: 'main',
      });
      await alice.rest.pulls.merge({ ...repo, pull_number: pr.number });

      const search = async (q: string, extra: Record<string, string | number> = {}) =>
        (await alice.rest.search.issuesAndPullRequests({ q, ...extra })).data;
      const numbers = async (q: string, extra: Record<string, string | number> = {}) =>
        (await search(q, extra)).items.map((i) => i.number);

      expect(await numbers('repo:alice/search is:issue is:open', { sort: 'created', order: 'asc' })).toEqual([
        bug.number,
        bug.number + 2,
      ]);
      expect(await numbers('repo:alice/search label:"good first issue"')).toEqual([bug.number]);
      expect(
        await numbers('repo:alice/search is:issue -label:kind/bug', { sort: 'created', order: 'asc' }),
      ).toEqual([idea.number, bug.number + 2]);
      expect(await numbers('repo:alice/search is:pr is:merged')).toEqual([pr.number]);
      expect(await numbers('repo:alice/search is:pr is:unmerged')).toEqual([]);
      expect(await numbers('repo:alice/search state:closed is:issue')).toEqual([idea.number]);
      expect(await numbers('repo:alice/search author:bob')).toEqual([bug.number + 2]);
      expect(await numbers('repo:alice/search router', { sort: 'created', order: 'asc' })).toEqual([
        bug.number,
        bug.number + 2,
        pr.number,
      ]);
      expect(await numbers('repo:alice/search "empty hosts"')).toEqual([bug.number]);
      const today = new Date().toISOString().slice(0, 10);
      expect(await numbers(`repo:alice/search merged:${today}..*`)).toEqual([pr.number]);
      expect(await numbers(`repo:alice/search is:issue updated:<${today}`)).toEqual([]);
      expect((await numbers(`repo:alice/search updated:>=${today}`)).length).toBe(4);

      const page = await search('repo:alice/search', { per_page: 1, page: 2, sort: 'created', order: 'asc' });
      expect(page).toMatchObject({ total_count: 4, incomplete_results: false });
      expect(page.items.map((i) => i.number)).toEqual([idea.number]);
      expect(page.items[0]?.pull_request).toBeUndefined();
      const prItem = (await search(`repo:alice/search is:pr`)).items[0];
      expect(prItem?.pull_request?.merged_at).toBeTruthy();
    });
  });
}
