import { describe, expect, it } from 'vitest';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

export function releaseTests(h: () => ForgeHarness): void {
  describe('releases', () => {
    it('creates tags for new releases, hides drafts and prereleases from latest, and sends release webhooks', async () => {
      const { hooks } = h();
      const alice = h().as('alice');
      const repo = { owner: 'alice', repo: 'releases' };
      await alice.rest.repos.createForAuthenticatedUser({ name: 'releases', auto_init: true });
      const { data: main } = await alice.rest.repos.getBranch({ ...repo, branch: 'main' });

      const { data: v1 } = await alice.rest.repos.createRelease({
        ...repo,
        tag_name: 'v1.0.0',
        name: 'Brie',
        body: 'First',
      });
      expect(v1).toMatchObject({
        tag_name: 'v1.0.0',
        draft: false,
        prerelease: false,
        target_commitish: 'main',
      });
      const { data: tag } = await alice.rest.git.getRef({ ...repo, ref: 'tags/v1.0.0' });
      expect(tag.object.sha).toBe(main.commit.sha);
      await hooks.waitFor((d) => d.event === 'create' && d.payload.ref === 'v1.0.0');
      for (const action of ['created', 'published', 'released']) {
        await hooks.waitFor(
          (d) =>
            d.event === 'release' &&
            d.payload.action === action &&
            (d.payload.release as { id: number }).id === v1.id,
        );
      }
      expect(await statusOf(alice.rest.repos.createRelease({ ...repo, tag_name: 'v1.0.0' }))).toBe(422);

      const { data: rc } = await alice.rest.repos.createRelease({
        ...repo,
        tag_name: 'v2.0.0-rc.1',
        prerelease: true,
      });
      await hooks.waitFor((d) => d.event === 'release' && d.payload.action === 'prereleased');
      const { data: draft } = await alice.rest.repos.createRelease({
        ...repo,
        tag_name: 'v2.0.0',
        draft: true,
      });
      expect(await statusOf(alice.rest.git.getRef({ ...repo, ref: 'tags/v2.0.0' }))).toBe(404);
      expect((await alice.rest.repos.getLatestRelease(repo)).data.id).toBe(v1.id);
      expect((await alice.rest.repos.getReleaseByTag({ ...repo, tag: 'v2.0.0-rc.1' })).data.id).toBe(rc.id);
      expect((await alice.rest.repos.getRelease({ ...repo, release_id: draft.id })).data.draft).toBe(true);
      const { data: visibleToBob } = await h().as('bob').rest.repos.listReleases(repo);
      expect(visibleToBob.map((r) => r.tag_name)).toEqual(['v2.0.0-rc.1', 'v1.0.0']);
      expect(
        await statusOf(
          h()
            .as('bob')
            .rest.repos.getRelease({ ...repo, release_id: draft.id }),
        ),
      ).toBe(404);

      const { data: published } = await alice.rest.repos.updateRelease({
        ...repo,
        release_id: draft.id,
        draft: false,
        name: 'Camembert',
      });
      expect(published.published_at).not.toBeNull();
      await hooks.waitFor(
        (d) =>
          d.event === 'release' &&
          d.payload.action === 'published' &&
          (d.payload.release as { id: number }).id === draft.id,
      );
      expect((await alice.rest.git.getRef({ ...repo, ref: 'tags/v2.0.0' })).data.object.sha).toBe(
        main.commit.sha,
      );
      expect((await alice.rest.repos.getLatestRelease(repo)).data.id).toBe(draft.id);
      await alice.rest.repos.updateRelease({ ...repo, release_id: v1.id, body: 'First, edited' });
      const edited = await hooks.waitFor(
        (d) =>
          d.event === 'release' &&
          d.payload.action === 'edited' &&
          (d.payload.release as { id: number }).id === v1.id,
      );
      expect(edited.payload.changes).toEqual({ body: { from: 'First' } });

      await alice.rest.repos.deleteRelease({ ...repo, release_id: draft.id });
      await hooks.waitFor((d) => d.event === 'release' && d.payload.action === 'deleted');
      expect((await alice.rest.repos.getLatestRelease(repo)).data.id).toBe(v1.id);
      expect((await alice.rest.git.getRef({ ...repo, ref: 'tags/v2.0.0' })).status).toBe(200);
      const { data: all } = await alice.rest.repos.listReleases(repo);
      expect(all.map((r) => r.tag_name)).toEqual(['v2.0.0-rc.1', 'v1.0.0']);
    });
  });
}
