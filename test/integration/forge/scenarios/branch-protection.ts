import { describe, expect, it } from 'vitest';
import { cloneAs, credentialUrl } from '../../../support/forge-git.js';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

export function branchProtectionTests(h: () => ForgeHarness): void {
  describe('branch protection', () => {
    it('refuses pushes, force pushes and deletions of protected branches the way GitHub does', async () => {
      const { forge } = h();
      const alice = h().as('alice');
      const carol = h().as('carol');
      const repo = { owner: 'alice', repo: 'guarded' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'guarded', auto_init: true });
      await alice.rest.repos.addCollaborator({ ...repo, username: 'carol', permission: 'push' });
      const { data: protection } = await alice.rest.repos.updateBranchProtection({
        ...repo,
        branch: 'main',
        required_status_checks: { strict: false, contexts: ['ci'] },
        enforce_admins: false,
        required_pull_request_reviews: null,
        restrictions: null,
      });
      expect(protection.allow_force_pushes?.enabled).toBe(false);
      const { data: read } = await alice.rest.repos.getBranchProtection({ ...repo, branch: 'main' });
      expect(read.required_status_checks?.contexts).toEqual(['ci']);
      expect(
        (await alice.rest.repos.listBranches({ ...repo, protected: true })).data.map((b) => b.name),
      ).toEqual(['main']);
      expect((await alice.rest.repos.getBranch({ ...repo, branch: 'main' })).data.protected).toBe(true);
      expect(await statusOf(carol.rest.repos.getBranchProtection({ ...repo, branch: 'main' }))).toBe(403);

      const carolWork = await cloneAs(
        'carol',
        credentialUrl(forge.gitUrl, h().tokens.carol ?? '', 'alice/guarded.git'),
      );
      const untested = await carolWork.commitFile('a.txt', 'a\n', 'Untested');
      await expect(carolWork.run('push', 'origin', 'HEAD:main')).rejects.toThrow(
        /GH006[\s\S]*Required status check "ci" is expected/,
      );
      await carolWork.run('push', '--quiet', 'origin', 'HEAD:topic');
      await carol.rest.repos.createCommitStatus({ ...repo, sha: untested, state: 'success', context: 'ci' });
      await carolWork.run('push', '--quiet', 'origin', 'HEAD:main');
      expect((await alice.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit.sha).toBe(untested);

      const aliceWork = await cloneAs(
        'alice',
        credentialUrl(forge.gitUrl, h().tokens.alice ?? '', 'alice/guarded.git'),
      );
      const adminCommit = await aliceWork.commitFile('b.txt', 'b\n', 'Admins bypass required checks');
      await aliceWork.run('push', '--quiet', 'origin', 'main');
      await aliceWork.run('reset', '--quiet', '--hard', 'HEAD~1');
      await expect(aliceWork.run('push', '--force', 'origin', 'main')).rejects.toThrow(/Cannot force-push/);
      await expect(aliceWork.run('push', 'origin', '--delete', 'main')).rejects.toThrow(/protected branch/);
      expect((await alice.rest.repos.getBranch({ ...repo, branch: 'main' })).data.commit.sha).toBe(
        adminCommit,
      );

      await alice.rest.git.createRef({ ...repo, ref: 'refs/heads/release', sha: untested });
      await alice.rest.repos.updateBranchProtection({
        ...repo,
        branch: 'release',
        required_status_checks: null,
        enforce_admins: true,
        required_pull_request_reviews: { required_approving_review_count: 1 },
        restrictions: null,
      });
      expect(
        await statusOf(
          carol.rest.repos.createOrUpdateFileContents({
            ...repo,
            path: 'c.txt',
            message: 'Direct',
            content: Buffer.from('c').toString('base64'),
            branch: 'release',
          }),
        ),
      ).toBe(422);
      expect(
        await statusOf(alice.rest.git.updateRef({ ...repo, ref: 'heads/release', sha: adminCommit })),
      ).toBe(422);
      expect(await statusOf(alice.rest.git.deleteRef({ ...repo, ref: 'heads/release' }))).toBe(422);

      const { data: pr } = await carol.rest.pulls.create({
        ...repo,
        title: 'Into release',
        head: 'main',
        base: 'release',
      });
      expect(await statusOf(alice.rest.pulls.merge({ ...repo, pull_number: pr.number }))).toBe(405);
      await alice.rest.repos.deleteBranchProtection({ ...repo, branch: 'release' });
      expect(await statusOf(alice.rest.repos.getBranchProtection({ ...repo, branch: 'release' }))).toBe(404);
      expect(await statusOf(alice.rest.repos.deleteBranchProtection({ ...repo, branch: 'release' }))).toBe(
        404,
      );
      await alice.rest.pulls.merge({ ...repo, pull_number: pr.number });
      await alice.rest.git.deleteRef({ ...repo, ref: 'heads/release' });
    });
  });
}
