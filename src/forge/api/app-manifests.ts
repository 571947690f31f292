/**
 * The REST half of the manifest flow: `POST /app-manifests/{code}/conversions` trades the
 * one-time code of the "new app" page (src/forge/web/app-pages.ts) for the app's credentials,
 * and `GET /apps/{app_slug}` shows an app (a private one to its owner and itself only).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal.js';
import { hashToken } from '../auth/tokens.js';
import type { ForgeContext, Route } from '../forge-context.js';
import { notFound } from '../http/api-error.js';
import { integration } from '../shapes/app.js';
import type { AppRecord } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';

/** Whether the caller may see `app`: public apps to all, private ones to the owner and the app. */
function canSee(ctx: ForgeContext, app: AppRecord, principal: Principal) {
  if (app.public !== false) return true;
  if (principal.kind === 'app' || principal.kind === 'installation') return principal.appId === app.id;
  if (principal.kind !== 'user') return false;
  if (principal.login === app.ownerLogin) return true;
  const owner = accountByLogin(ctx.store.state, app.ownerLogin);
  return owner?.members?.some((m) => m.login === principal.login) ?? false;
}

export const appManifestRoutes: Route[] = [
  {
    method: 'POST',
    path: '/app-manifests/{code}/conversions',
    handle(ctx, req) {
      const hash = hashToken(req.params.code ?? '');
      const app = ctx.store.state.apps.find((a) => a.manifestCode?.hash === hash);
      // An unknown, used or expired code all read the same: the code is the only credential.
      if (!app?.manifestCode || new Date(app.manifestCode.expiresAt) <= ctx.now()) throw notFound();
      app.manifestCode = null;
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      // The forge keeps the public half only: the private key is shown once, here.
      app.publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const pem = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      return {
        status: 201,
        body: {
          ...integration(ctx.urls, ctx.store.state, app),
          client_id: app.clientId,
          client_secret: randomBytes(20).toString('hex'),
          webhook_secret: app.webhookSecret,
          pem,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/apps/{app_slug}',
    handle(ctx, req) {
      const app = ctx.store.state.apps.find((a) => a.slug === req.params.app_slug);
      if (!app || !canSee(ctx, app, req.principal)) throw notFound();
      return { status: 200, body: integration(ctx.urls, ctx.store.state, app) };
    },
  },
];
