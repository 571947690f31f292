import { describe, expect, it } from 'vitest';
import { type ForgeHarness, statusOf } from '../../../support/forge-harness.js';

export function accountsAndReposTests(h: () => ForgeHarness): void {
  describe('accounts, organizations, repositories and the app', () => {
    it('serves users and organizations, org repositories, settings, deletion and forks', async () => {
      const { admin } = h();
      const alice = h().as('alice');
      expect((await alice.rest.users.getAuthenticated()).data.login).toBe('alice');
      expect((await alice.rest.users.getByUsername({ username: 'bob' })).data.login).toBe('bob');
      expect((await alice.rest.users.list()).data.map((u) => u.login)).toEqual(
        expect.arrayContaining(['admin', 'alice', 'bob']),
      );

      await admin.request('POST /admin/organizations', { login: 'cheeses', admin: 'alice' });
      await alice.rest.orgs.setMembershipForUser({ org: 'cheeses', username: 'bob', role: 'member' });
      expect((await alice.rest.orgs.get({ org: 'cheeses' })).data.login).toBe('cheeses');
      const { data: orgRepo } = await h()
        .as('bob')
        .rest.repos.createInOrg({ org: 'cheeses', name: 'comte', auto_init: true });
      expect(orgRepo.organization?.login).toBe('cheeses');
      expect((await alice.rest.repos.listForOrg({ org: 'cheeses' })).data.map((r) => r.name)).toEqual([
        'comte',
      ]);
      expect(await statusOf(h().as('carol').rest.repos.createInOrg({ org: 'cheeses', name: 'x' }))).toBe(403);

      await alice.rest.repos.createForAuthenticatedUser({ name: 'settings', auto_init: true });
      const { data: patched } = await alice.rest.repos.update({
        owner: 'alice',
        repo: 'settings',
        description: 'Tuned',
        allow_rebase_merge: false,
        delete_branch_on_merge: true,
      });
      expect(patched).toMatchObject({
        description: 'Tuned',
        allow_rebase_merge: false,
        delete_branch_on_merge: true,
      });
      expect(
        (await alice.rest.repos.listForAuthenticatedUser({ per_page: 100 })).data.map((r) => r.name),
      ).toContain('settings');
      expect(
        (await alice.rest.repos.listForUser({ username: 'alice', per_page: 100 })).data.length,
      ).toBeGreaterThan(0);

      const bob = h().as('bob');
      const { data: fork } = await bob.rest.repos.createFork({ owner: 'alice', repo: 'settings' });
      expect(fork).toMatchObject({ full_name: 'bob/settings', fork: true });
      expect(
        (await alice.rest.repos.listForks({ owner: 'alice', repo: 'settings' })).data.map((r) => r.full_name),
      ).toEqual(['bob/settings']);
      await bob.rest.repos.delete({ owner: 'bob', repo: 'settings' });
      expect(await statusOf(bob.rest.repos.get({ owner: 'bob', repo: 'settings' }))).toBe(404);
      expect(await statusOf(bob.rest.repos.delete({ owner: 'alice', repo: 'settings' }))).toBe(403);

      const { data: extra } = await admin.request('POST /admin/users/{username}/authorizations', {
        username: 'carol',
        scopes: ['repo'],
      });
      await admin.request('DELETE /admin/users/{username}/authorizations', { username: 'carol' });
      expect(await statusOf(h().clients.client(extra.token).rest.users.getAuthenticated())).toBe(401);
      const { data: again } = await admin.request('POST /admin/users/{username}/authorizations', {
        username: 'carol',
        scopes: ['repo'],
      });
      h().tokens.carol = again.token;
    });

    it('serves the app’s installations, its installation’s repositories and its webhook config', async () => {
      const { forge } = h();
      const asApp = h().clients.client(h().appJwt());
      const { data: installations } = await asApp.rest.apps.listInstallations();
      expect(installations.map((i) => i.id)).toEqual([forge.app.installationId]);
      const { data: one } = await asApp.rest.apps.getInstallation({
        installation_id: forge.app.installationId,
      });
      expect(one.app_id).toBe(forge.app.id);
      expect((await asApp.rest.apps.getUserInstallation({ username: 'admin' })).data.id).toBe(one.id);
      expect(await statusOf(asApp.rest.apps.getOrgInstallation({ org: 'cheeses' }))).toBe(404);
      const bot = h().clients.client(await h().installationToken());
      const { data: reachable } = await bot.rest.apps.listReposAccessibleToInstallation({ per_page: 100 });
      expect(reachable.total_count).toBeGreaterThan(0);

      const { data: config } = await asApp.rest.apps.getWebhookConfigForApp();
      expect(config.url).toBe(h().hooks.url);
      // `url` is also Octokit's own option name, so the body goes in `data`.
      const { data: updated } = await asApp.request('PATCH /app/hook/config', {
        data: { url: `${h().hooks.url}?v=2` },
      });
      expect(updated.url).toBe(`${h().hooks.url}?v=2`);
      await asApp.request('PATCH /app/hook/config', { data: { url: h().hooks.url } });
    });
  });
}
