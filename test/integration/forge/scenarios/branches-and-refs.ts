import { describe, expect, it } from 'vitest';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

export function branchesAndRefsTests(h: () => ForgeHarness): void {
  describe('branches and git refs', () => {
    it('lists and reads branches and tags, and creates, moves and deletes refs with push webhooks', async () => {
      const { hooks } = h();
      const alice = h().as('alice');
      const repo = { owner: 'alice', repo: 'refs' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'refs', auto_init: true });
      const { data: main } = await alice.rest.repos.getBranch({ ...repo, branch: 'main' });
      expect(main).toMatchObject({ name: 'main', protected: false });
      const base = main.commit.sha;

      const { data: created } = await alice.rest.git.createRef({
        ...repo,
        ref: 'refs/heads/feature/x',
        sha: base,
      });
      expect(created).toMatchObject({ ref: 'refs/heads/feature/x', object: { sha: base, type: 'commit' } });
      await hooks.waitFor(
        (d) => d.event === 'create' && d.payload.ref === 'feature/x' && d.payload.ref_type === 'branch',
      );
      await hooks.waitFor(
        (d) => d.event === 'push' && d.payload.ref === 'refs/heads/feature/x' && d.payload.created === true,
      );
      expect(
        await statusOf(alice.rest.git.createRef({ ...repo, ref: 'refs/heads/feature/x', sha: base })),
      ).toBe(422);
      expect(await statusOf(alice.rest.git.createRef({ ...repo, ref: 'heads/nope', sha: base }))).toBe(422);
      expect(
        await statusOf(alice.rest.git.createRef({ ...repo, ref: 'refs/heads/nope', sha: 'f'.repeat(40) })),
      ).toBe(422);

      await alice.rest.git.createRef({ ...repo, ref: 'refs/tags/v1.0.0', sha: base });
      await hooks.waitFor(
        (d) => d.event === 'create' && d.payload.ref === 'v1.0.0' && d.payload.ref_type === 'tag',
      );
      const { data: tags } = await alice.rest.repos.listTags(repo);
      expect(tags.map((t) => [t.name, t.commit.sha])).toEqual([['v1.0.0', base]]);
      const atTag = await alice.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'v1.0.0' });
      expect(atTag.status).toBe(200);

      const { data: branches } = await alice.rest.repos.listBranches(repo);
      expect(branches.map((b) => b.name).sort()).toEqual(['feature/x', 'main']);
      const { data: one } = await alice.rest.git.getRef({ ...repo, ref: 'heads/feature/x' });
      expect(one.object.sha).toBe(base);
      expect(await statusOf(alice.rest.git.getRef({ ...repo, ref: 'heads/missing' }))).toBe(404);
      const { data: matching } = await alice.rest.git.listMatchingRefs({ ...repo, ref: 'heads/' });
      expect(matching.map((r) => r.ref).sort()).toEqual(['refs/heads/feature/x', 'refs/heads/main']);
      const { data: feature } = await alice.rest.repos.getBranch({ ...repo, branch: 'feature/x' });
      expect(feature.commit.sha).toBe(base);

      const { data: ahead } = await alice.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'a.txt',
        message: 'Ahead',
        content: b64('a\n'),
        branch: 'feature/x',
      });
      const next = ahead.commit.sha ?? '';
      expect(await statusOf(alice.rest.git.updateRef({ ...repo, ref: 'heads/feature/x', sha: base }))).toBe(
        422,
      );
      const { data: forced } = await alice.rest.git.updateRef({
        ...repo,
        ref: 'heads/feature/x',
        sha: base,
        force: true,
      });
      expect(forced.object.sha).toBe(base);
      await hooks.waitFor(
        (d) => d.event === 'push' && d.payload.before === next && d.payload.forced === true,
      );
      await alice.rest.git.updateRef({ ...repo, ref: 'heads/feature/x', sha: next });

      await alice.rest.git.deleteRef({ ...repo, ref: 'heads/feature/x' });
      await hooks.waitFor((d) => d.event === 'delete' && d.payload.ref === 'feature/x');
      await hooks.waitFor(
        (d) => d.event === 'push' && d.payload.ref === 'refs/heads/feature/x' && d.payload.deleted === true,
      );
      expect(await statusOf(alice.rest.git.deleteRef({ ...repo, ref: 'heads/feature/x' }))).toBe(422);
      expect(await statusOf(alice.rest.git.deleteRef({ ...repo, ref: 'heads/main' }))).toBe(422);
      expect(await statusOf(alice.rest.repos.getBranch({ ...repo, branch: 'feature/x' }))).toBe(404);
    });
  });
}
