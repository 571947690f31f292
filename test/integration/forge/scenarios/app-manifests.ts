/**
 * The manifest flow on the forge: the "new app" page creates the app and redirects with a
 * one-time code, the conversion hands out the key once, a private app stays hidden from others,
 * and a user who is not a site admin installs it on their own repositories only.
 */
import { describe, expect, it } from 'vitest';
import { type ForgeHarness, signAppJwt, statusOf } from '../../../support/forge-harness.js';

function manifest(name: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    name,
    url: 'https://example.org/app',
    description: 'Registered by the forge suite.',
    hook_attributes: { url: 'http://127.0.0.1:9/hooks' },
    redirect_url: 'http://127.0.0.1:9/setup?keep=1',
    public: false,
    default_events: ['issues', 'push'],
    default_permissions: { contents: 'read', issues: 'write' },
    ...extra,
  });
}

export function appManifestTests(h: () => ForgeHarness): void {
  describe('GitHub App manifest flow', () => {
    const post = (login: string, body: string, state = 'st4te') =>
      fetch(`${h().forge.gitUrl}/settings/apps/new?state=${state}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${login}:${h().tokens[login]}`).toString('base64')}`,
        },
        body: new URLSearchParams({ manifest: body }).toString(),
        redirect: 'manual',
      });

    it('creates the app from the form, redirects with code and state, and converts the code once', async () => {
      const created = await post('alice', manifest('Alice Helper'));
      expect(created.status).toBe(302);
      const location = new URL(created.headers.get('location') ?? '');
      expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:9/setup');
      expect(location.searchParams.get('keep')).toBe('1');
      expect(location.searchParams.get('state')).toBe('st4te');
      const code = location.searchParams.get('code') ?? '';

      const anonymous = h().clients.client();
      const { data } = await anonymous.request('POST /app-manifests/{code}/conversions', { code });
      expect(data).toMatchObject({
        slug: 'alice-helper',
        name: 'Alice Helper',
        owner: { login: 'alice' },
        external_url: 'https://example.org/app',
        events: ['issues', 'push'],
        permissions: { contents: 'read', issues: 'write', metadata: 'read' },
      });
      expect(data.pem).toContain('BEGIN RSA PRIVATE KEY');
      expect(await statusOf(anonymous.request('POST /app-manifests/{code}/conversions', { code }))).toBe(404);

      // Private: its owner and the app see it, anyone else gets a 404.
      const { data: seen } = await h()
        .as('alice')
        .request('GET /apps/{app_slug}', { app_slug: 'alice-helper' });
      expect(seen?.id).toBe(data.id);
      expect(
        await statusOf(h().as('bob').request('GET /apps/{app_slug}', { app_slug: 'alice-helper' })),
      ).toBe(404);
      const { data: sandboxApp } = await anonymous.request('GET /apps/{app_slug}', {
        app_slug: h().forge.app.slug,
      });
      expect(sandboxApp?.id).toBe(h().forge.app.id);

      // Alice is no site admin: her installation covers her own repositories, not the forge's.
      await h().as('alice').rest.repos.createForAuthenticatedUser({ name: 'helped' });
      const install = `${h().forge.gitUrl}/apps/alice-helper/installations/new`;
      const auth = `Basic ${Buffer.from(`alice:${h().tokens.alice}`).toString('base64')}`;
      expect((await fetch(install, { method: 'POST', headers: { authorization: auth } })).status).toBe(200);
      const asApp = h().clients.client(signAppJwt(data.id, data.pem));
      const { data: installations } = await asApp.request('GET /app/installations');
      expect(
        installations.map((i) => [
          i.account && 'login' in i.account ? i.account.login : '',
          i.repository_selection,
        ]),
      ).toEqual([['alice', 'selected']]);
      // Bob may not install Alice's private app.
      const bobAuth = `Basic ${Buffer.from(`bob:${h().tokens.bob}`).toString('base64')}`;
      expect((await fetch(install, { method: 'POST', headers: { authorization: bobAuth } })).status).toBe(
        404,
      );
    });

    it('refuses a bad manifest with its key path, a taken name, and an unsigned browser', async () => {
      const bad = await post('alice', manifest('Bad Perms', { default_permissions: { issues: 'admin' } }));
      expect(bad.status).toBe(422);
      expect(await bad.text()).toContain('manifest.default_permissions.issues');
      const noRedirect = await post('alice', manifest('No Redirect', { redirect_url: undefined }));
      expect(noRedirect.status).toBe(422);
      expect(await noRedirect.text()).toContain('manifest.redirect_url');
      expect((await post('alice', '{not json')).status).toBe(422);

      const taken = await post('bob', manifest('alice helper'));
      expect(taken.status).toBe(422);
      expect(await taken.text()).toContain('already in use');

      const unsigned = await fetch(`${h().forge.gitUrl}/settings/apps/new`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ manifest: manifest('Nobody') }).toString(),
        redirect: 'manual',
      });
      expect(unsigned.status).toBe(401);
      expect(unsigned.headers.get('www-authenticate')).toContain('Basic');
    });
  });
}
