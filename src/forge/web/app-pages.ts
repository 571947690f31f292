/**
 * The forge's browser pages of GitHub's app registration, outside `/api/v3` as on GitHub:
 *   POST /settings/apps/new                         the manifest flow's target: creates the app
 *   POST /organizations/{org}/settings/apps/new     the same, owned by an organization
 *   GET  /apps/{app_slug}/installations/new         the install page (a form)
 *   POST /apps/{app_slug}/installations/new         installs the app on the signed-in account
 * GitHub asks for a click on its own page before creating the app; here the manifest's POST
 * creates it at once (there is nothing to review in a sandbox) and redirects to its
 * `redirect_url` with the one-time `code` and the caller's `state`. Being signed in means HTTP
 * Basic auth with a user token as the password (a browser prompts for it), never a default user.
 */
import type { ApiRequest, ApiResponse, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound } from '../http/api-error.js';
import type { AccountRecord, AppRecord, InstallationRecord } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';
import { isoSeconds } from '../state/timestamp.js';
import { emitInstallationCreated } from '../webhooks/installation-events.js';
import { createAppFromManifest, readManifest } from './app-manifest.js';

/** The signed-in user, or a 401 that makes a browser ask for a login and token. */
function signedIn(ctx: ForgeContext, req: ApiRequest): AccountRecord {
  const principal = req.principal;
  const account = principal.kind === 'user' ? accountByLogin(ctx.store.state, principal.login) : undefined;
  if (!account) {
    throw new ApiError(
      401,
      'Sign in: your login as the user name and a personal access token as the password.',
      {
        headers: { 'www-authenticate': 'Basic realm="affineur sandbox forge", charset="UTF-8"' },
      },
    );
  }
  return account;
}

function formField(req: ApiRequest, name: string): string | undefined {
  const body = req.body as Record<string, string> | undefined;
  return typeof body?.[name] === 'string' ? body[name] : undefined;
}

function redirect(location: string): ApiResponse {
  return { status: 302, headers: { location } };
}

function html(status: number, text: string): ApiResponse {
  return { status, body: Buffer.from(text), headers: { 'content-type': 'text/html; charset=utf-8' } };
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function registerApp(ctx: ForgeContext, req: ApiRequest, owner: AccountRecord): ApiResponse {
  const manifest = readManifest(formField(req, 'manifest'));
  const { code } = createAppFromManifest(ctx, owner, manifest);
  const target = new URL(manifest.redirect_url);
  target.searchParams.set('code', code);
  const state = req.query.get('state');
  if (state !== null) target.searchParams.set('state', state);
  return redirect(target.href);
}

function appBySlug(ctx: ForgeContext, slug: string): AppRecord {
  const app = ctx.store.state.apps.find((a) => a.slug === slug);
  if (!app) throw notFound();
  return app;
}

/** A private app is installed by its owner only (or, for an organization's app, its admins). */
function mayInstall(app: AppRecord, account: AccountRecord, ctx: ForgeContext): boolean {
  if (app.public !== false || app.ownerLogin === account.login) return true;
  const owner = accountByLogin(ctx.store.state, app.ownerLogin);
  return owner?.members?.some((m) => m.login === account.login && m.role === 'admin') ?? false;
}

/** Refuses a form posted from another site: the install form carries the user's authority. */
function requireSameOrigin(ctx: ForgeContext, req: ApiRequest): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== ctx.urls.web) {
    throw new ApiError(
      403,
      `A form from ${String(origin)} cannot install apps: open the install page on the forge.`,
    );
  }
}

export const appPageRoutes: Route[] = [
  {
    method: 'POST',
    path: '/settings/apps/new',
    handle: (ctx, req) => registerApp(ctx, req, signedIn(ctx, req)),
  },
  {
    method: 'POST',
    path: '/organizations/{org}/settings/apps/new',
    handle(ctx, req) {
      const user = signedIn(ctx, req);
      const org = accountByLogin(ctx.store.state, req.params.org ?? '');
      if (org?.type !== 'Organization') throw notFound();
      if (!org.members?.some((m) => m.login === user.login && m.role === 'admin')) {
        throw new ApiError(403, `Only an owner of ${org.login} can register apps for it.`);
      }
      return registerApp(ctx, req, org);
    },
  },
  {
    method: 'GET',
    path: '/apps/{app_slug}/installations/new',
    handle(ctx, req) {
      const user = signedIn(ctx, req);
      const app = appBySlug(ctx, req.params.app_slug ?? '');
      if (!mayInstall(app, user, ctx)) throw notFound();
      const permissions = Object.entries(app.permissions)
        .map(([name, level]) => `${name}: ${level}`)
        .join(', ');
      return html(
        200,
        `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Install ${escapeHtml(app.name)}</title></head>
<body>
<h1>Install ${escapeHtml(app.name)}</h1>
<p>As <strong>${escapeHtml(user.login)}</strong>, on ${user.siteAdmin ? 'every repository of the forge' : 'the repositories you own'}.</p>
<ul><li>Permissions: ${escapeHtml(permissions)}</li><li>Events: ${escapeHtml(app.events.join(', '))}</li></ul>
<form action="/apps/${encodeURIComponent(app.slug)}/installations/new" method="post">
<button type="submit">Install</button>
</form>
</body>
</html>
`,
      );
    },
  },
  {
    method: 'POST',
    path: '/apps/{app_slug}/installations/new',
    handle(ctx, req) {
      requireSameOrigin(ctx, req);
      const user = signedIn(ctx, req);
      const app = appBySlug(ctx, req.params.app_slug ?? '');
      if (!mayInstall(app, user, ctx)) throw notFound();
      const state = ctx.store.state;
      let installation = state.installations.find((i) => i.appId === app.id && i.accountLogin === user.login);
      if (!installation) {
        const stamp = isoSeconds(ctx.now());
        const record: InstallationRecord = {
          id: ctx.store.nextId(),
          appId: app.id,
          accountLogin: user.login,
          // The sandbox's `all` means every repository of the forge: a site admin's to give.
          // Anyone else installs on the repositories they own now.
          repositorySelection: user.siteAdmin ? 'all' : 'selected',
          repositoryIds: user.siteAdmin
            ? []
            : state.repos.filter((r) => r.ownerLogin === user.login).map((r) => r.id),
          createdAt: stamp,
          updatedAt: stamp,
        };
        state.installations.push(record);
        installation = record;
        emitInstallationCreated(ctx, record, user);
      }
      if (!app.setupUrl) return html(200, `<!doctype html><p>${escapeHtml(app.name)} is installed.</p>\n`);
      const target = new URL(app.setupUrl);
      target.searchParams.set('installation_id', String(installation.id));
      target.searchParams.set('setup_action', 'install');
      return redirect(target.href);
    },
  },
];
