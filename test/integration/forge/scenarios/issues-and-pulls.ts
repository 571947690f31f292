import { describe, expect, it } from 'vitest';
import { cloneAs, credentialUrl } from '../../../support/forge-git.js';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

export function issuesAndPullsTests(h: () => ForgeHarness): void {
  describe('issues, comments, labels, milestones, collaborators', () => {
    it('edits and deletes comments, sets and removes labels, locks, and manages milestones and collaborators', async () => {
      const alice = h().as('alice');
      const bob = h().as('bob');
      const repo = { owner: 'alice', repo: 'tracker' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'tracker', auto_init: true });
      await alice.rest.repos.addCollaborator({ ...repo, username: 'carol', permission: 'triage' });
      expect((await alice.rest.repos.listCollaborators(repo)).data.map((c) => c.login)).toContain('carol');
      expect((await alice.rest.repos.checkCollaborator({ ...repo, username: 'carol' })).status).toBe(204);
      await alice.rest.repos.removeCollaborator({ ...repo, username: 'carol' });
      expect(await statusOf(alice.rest.repos.checkCollaborator({ ...repo, username: 'carol' }))).toBe(404);

      const { data: milestone } = await alice.rest.issues.createMilestone({ ...repo, title: 'v1.0' });
      await alice.rest.issues.updateMilestone({
        ...repo,
        milestone_number: milestone.number,
        description: 'First',
      });
      expect(
        (await alice.rest.issues.getMilestone({ ...repo, milestone_number: milestone.number })).data
          .description,
      ).toBe('First');
      const { data: issue } = await bob.rest.issues.create({ ...repo, title: 'It breaks' });
      await alice.rest.issues.update({ ...repo, issue_number: issue.number, milestone: milestone.number });
      expect(
        (await alice.rest.issues.get({ ...repo, issue_number: issue.number })).data.milestone?.title,
      ).toBe('v1.0');
      expect((await alice.rest.issues.listMilestones(repo)).data[0]?.open_issues).toBe(1);

      await alice.rest.issues.setLabels({
        ...repo,
        issue_number: issue.number,
        labels: ['kind/bug', 'area/api'],
      });
      expect((await alice.rest.issues.listLabelsForRepo(repo)).data.map((l) => l.name).sort()).toEqual([
        'area/api',
        'kind/bug',
      ]);
      const { data: left } = await alice.rest.issues.removeLabel({
        ...repo,
        issue_number: issue.number,
        name: 'area/api',
      });
      expect(left.map((l) => l.name)).toEqual(['kind/bug']);
      await alice.rest.issues.removeAllLabels({ ...repo, issue_number: issue.number });
      expect(
        (await alice.rest.issues.listLabelsOnIssue({ ...repo, issue_number: issue.number })).data,
      ).toEqual([]);
      // The timeline keeps each label change with who made it.
      const labelEvents = (
        events: { event?: string; actor?: { login: string } | null; label?: { name: string } }[],
      ) => events.map((e) => `${e.event} ${e.label?.name} by ${e.actor?.login}`);
      const expected = [
        'labeled kind/bug by alice',
        'labeled area/api by alice',
        'unlabeled area/api by alice',
        'unlabeled kind/bug by alice',
      ];
      expect(
        labelEvents(
          (await alice.rest.issues.listEventsForTimeline({ ...repo, issue_number: issue.number })).data,
        ),
      ).toEqual(expected);
      expect(
        labelEvents((await bob.rest.issues.listEvents({ ...repo, issue_number: issue.number })).data),
      ).toEqual(expected);
      expect(
        (await alice.rest.issues.listForRepo({ ...repo, state: 'all' })).data.map((i) => i.number),
      ).toEqual([issue.number]);

      const { data: comment } = await bob.rest.issues.createComment({
        ...repo,
        issue_number: issue.number,
        body: 'Same here',
      });
      await bob.rest.issues.updateComment({ ...repo, comment_id: comment.id, body: 'Same here, on v2' });
      expect((await alice.rest.issues.getComment({ ...repo, comment_id: comment.id })).data.body).toBe(
        'Same here, on v2',
      );
      expect(
        (await alice.rest.issues.listComments({ ...repo, issue_number: issue.number })).data,
      ).toHaveLength(1);
      expect((await alice.rest.issues.listCommentsForRepo(repo)).data).toHaveLength(1);
      expect(
        await statusOf(
          h()
            .as('carol')
            .rest.issues.updateComment({ ...repo, comment_id: comment.id, body: 'x' }),
        ),
      ).toBe(403);
      await alice.rest.issues.deleteComment({ ...repo, comment_id: comment.id });
      expect(await statusOf(alice.rest.issues.getComment({ ...repo, comment_id: comment.id }))).toBe(404);

      await alice.rest.issues.lock({ ...repo, issue_number: issue.number, lock_reason: 'resolved' });
      expect((await alice.rest.issues.get({ ...repo, issue_number: issue.number })).data.locked).toBe(true);
      await alice.rest.issues.unlock({ ...repo, issue_number: issue.number });
      expect((await alice.rest.issues.get({ ...repo, issue_number: issue.number })).data.locked).toBe(false);

      await alice.rest.issues.deleteMilestone({ ...repo, milestone_number: milestone.number });
      expect(
        await statusOf(alice.rest.issues.getMilestone({ ...repo, milestone_number: milestone.number })),
      ).toBe(404);
    });
  });

  describe('pull requests from forks', () => {
    it('lets maintainers push to a fork PR head, updates the branch, lists files and commits, and handles reviews', async () => {
      const { forge, hooks } = h();
      const alice = h().as('alice');
      const bob = h().as('bob');
      const repo = { owner: 'alice', repo: 'upstream' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'upstream', auto_init: true });
      await alice.rest.repos.addCollaborator({ ...repo, username: 'carol', permission: 'push' });
      await bob.rest.repos.createFork(repo);
      const bobWork = await cloneAs(
        'bob',
        credentialUrl(forge.gitUrl, h().tokens.bob ?? '', 'bob/upstream.git'),
      );
      await bobWork.run('checkout', '--quiet', '-b', 'feature');
      await bobWork.commitFile('feature.txt', 'one\n', 'Add a feature');
      await bobWork.run('push', '--quiet', 'origin', 'feature');
      const { data: pr } = await bob.rest.pulls.create({
        ...repo,
        title: 'A feature from a fork',
        head: 'bob:feature',
        base: 'main',
        maintainer_can_modify: true,
        draft: true,
      });
      expect(pr).toMatchObject({ maintainer_can_modify: true, draft: true, head: { label: 'bob:feature' } });
      // Marking a draft ready is a sandbox extension of PATCH (GitHub does it in GraphQL).
      const { data: ready } = await bob.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...repo,
        pull_number: pr.number,
        title: 'Feature',
        draft: false,
      });
      expect(ready).toMatchObject({ title: 'Feature', draft: false });
      expect((await alice.rest.pulls.list({ ...repo, state: 'open' })).data.map((p) => p.number)).toEqual([
        pr.number,
      ]);

      // The base moves on; the PR is behind until update-branch merges the base into the fork's head.
      await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'base.txt',
        message: 'Base moves',
        content: Buffer.from('base\n').toString('base64'),
      });
      const { data: updated } = await alice.rest.pulls.updateBranch({ ...repo, pull_number: pr.number });
      expect(updated.message).toBeTruthy();
      const sync = await hooks.waitFor(
        (d) =>
          d.event === 'pull_request' && d.payload.action === 'synchronize' && d.payload.number === pr.number,
      );
      expect(sync.payload.after).not.toBe(pr.head.sha);

      // carol may push to bob's fork only because the PR allows maintainer edits.
      const carolWork = await cloneAs(
        'carol',
        credentialUrl(forge.gitUrl, h().tokens.carol ?? '', 'bob/upstream.git'),
      );
      await carolWork.run('checkout', '--quiet', 'feature');
      await carolWork.commitFile('fixup.txt', 'fix\n', 'Maintainer fixup');
      await carolWork.run('push', '--quiet', 'origin', 'feature');
      await expect(carolWork.run('push', 'origin', 'feature:other')).rejects.toThrow(/HTTP 403|denied/);
      await bob.rest.pulls.update({ ...repo, pull_number: pr.number, maintainer_can_modify: false });
      await carolWork.commitFile('late.txt', 'late\n', 'Too late');
      await expect(carolWork.run('push', 'origin', 'feature')).rejects.toThrow(/HTTP 403|denied/);
      await forge.idle();

      const { data: files } = await alice.rest.pulls.listFiles({ ...repo, pull_number: pr.number });
      expect(files.map((f) => f.filename).sort()).toEqual(['feature.txt', 'fixup.txt']);
      const { data: commits } = await alice.rest.pulls.listCommits({ ...repo, pull_number: pr.number });
      expect(commits.map((c) => c.commit.message)).toContain('Maintainer fixup');
      expect(await statusOf(alice.rest.pulls.checkIfMerged({ ...repo, pull_number: pr.number }))).toBe(404);

      const carol = h().as('carol');
      const { data: pending } = await carol.rest.pulls.createReview({
        ...repo,
        pull_number: pr.number,
        body: 'Looks fine',
      });
      expect(pending.state).toBe('PENDING');
      const { data: submitted } = await carol.rest.pulls.submitReview({
        ...repo,
        pull_number: pr.number,
        review_id: pending.id,
        event: 'APPROVE',
      });
      expect(submitted.state).toBe('APPROVED');
      expect(
        (await alice.rest.pulls.getReview({ ...repo, pull_number: pr.number, review_id: pending.id })).data
          .state,
      ).toBe('APPROVED');
      const { data: dismissed } = await alice.rest.pulls.dismissReview({
        ...repo,
        pull_number: pr.number,
        review_id: pending.id,
        message: 'Stale',
      });
      expect(dismissed.state).toBe('DISMISSED');
      expect(
        (await alice.rest.pulls.listReviews({ ...repo, pull_number: pr.number })).data.map((r) => r.state),
      ).toEqual(['DISMISSED']);

      await alice.rest.pulls.merge({ ...repo, pull_number: pr.number, merge_method: 'squash' });
      expect((await alice.rest.pulls.checkIfMerged({ ...repo, pull_number: pr.number })).status).toBe(204);
      const { data: main } = await alice.rest.repos.getBranch({ ...repo, branch: 'main' });
      await alice.rest.repos.createCommitStatus({
        ...repo,
        sha: main.commit.sha,
        state: 'success',
        context: 'ci',
      });
      const { data: statuses } = await alice.rest.repos.listCommitStatusesForRef({ ...repo, ref: 'main' });
      expect(statuses.map((s) => s.context)).toEqual(['ci']);
      const legacy = await fetch(`${forge.apiUrl}/repos/alice/upstream/statuses/main`);
      expect(((await legacy.json()) as { context: string }[]).map((s) => s.context)).toEqual(['ci']);
    });
  });
}
