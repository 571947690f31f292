/**
 * GitHub App routes: the app itself and its installations (JWT), installation access tokens,
 * the repositories an installation token reaches, and the app's webhook config and delivery log.
 */
import { z } from 'zod';
import { roleOn } from '../auth/access.js';
import { hashToken, mintToken } from '../auth/tokens.js';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import { delivery, deliveryItem, installation, integration } from '../shapes/app.js';
import { repository } from '../shapes/repository.js';
import type { AppRecord, DeliveryRecord, InstallationRecord, TokenRecord } from '../state/model.js';
import {
  accountByLogin,
  appById,
  installationById,
  installationCovers,
  repoByName,
} from '../state/queries.js';
import { isoSeconds } from '../state/timestamp.js';
import { requireAppJwt } from './access-guards.js';

function appOf(ctx: ForgeContext, req: ApiRequest) {
  const app = appById(ctx.store.state, requireAppJwt(req));
  if (!app) throw new ApiError(401, 'Integration not found');
  return app;
}

function ownInstallation(ctx: ForgeContext, req: ApiRequest): InstallationRecord {
  const app = appOf(ctx, req);
  const record = installationById(ctx.store.state, intParam(req.params, 'installation_id'));
  if (!record || record.appId !== app.id) throw notFound();
  return record;
}

function installationForAccount(ctx: ForgeContext, req: ApiRequest, login: string) {
  const app = appOf(ctx, req);
  const found = ctx.store.state.installations.find(
    (i) => i.appId === app.id && i.accountLogin.toLowerCase() === login.toLowerCase(),
  );
  if (!found) throw notFound();
  return { status: 200, body: installation(ctx.urls, ctx.store.state, found) };
}

export const appRoutes: Route[] = [
  {
    method: 'GET',
    path: '/app',
    handle: (ctx, req) => ({ status: 200, body: integration(ctx.urls, ctx.store.state, appOf(ctx, req)) }),
  },
  {
    method: 'GET',
    path: '/app/installations',
    handle(ctx, req) {
      const app = appOf(ctx, req);
      const list = ctx.store.state.installations.filter((i) => i.appId === app.id);
      return paginate(
        ctx.urls,
        req,
        list.map((i) => installation(ctx.urls, ctx.store.state, i)),
      );
    },
  },
  {
    method: 'GET',
    path: '/app/installations/{installation_id}',
    handle: (ctx, req) => ({
      status: 200,
      body: installation(ctx.urls, ctx.store.state, ownInstallation(ctx, req)),
    }),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/installation',
    handle(ctx, req) {
      const app = appOf(ctx, req);
      const repo = repoByName(ctx.store.state, req.params.owner ?? '', req.params.repo ?? '');
      const found = repo
        ? ctx.store.state.installations.find((i) => i.appId === app.id && installationCovers(i, repo))
        : undefined;
      if (!found) throw notFound();
      return { status: 200, body: installation(ctx.urls, ctx.store.state, found) };
    },
  },
  {
    method: 'GET',
    path: '/users/{username}/installation',
    handle: (ctx, req) => installationForAccount(ctx, req, req.params.username ?? ''),
  },
  {
    method: 'GET',
    path: '/orgs/{org}/installation',
    handle: (ctx, req) => installationForAccount(ctx, req, req.params.org ?? ''),
  },
  {
    method: 'POST',
    path: '/app/installations/{installation_id}/access_tokens',
    handle(ctx, req) {
      const record = ownInstallation(ctx, req);
      const app = appOf(ctx, req);
      const body = parseBody(
        z
          .object({
            repositories: z.array(z.string()).optional(),
            repository_ids: z.array(z.number().int()).optional(),
            permissions: z.record(z.string(), z.enum(['read', 'write', 'admin'])).optional(),
          })
          .nullable(),
        req.body,
        'InstallationToken',
      );
      const state = ctx.store.state;
      const owner = accountByLogin(state, record.accountLogin);
      let repositoryIds: number[] | undefined;
      if (body?.repositories || body?.repository_ids) {
        const byName = (body.repositories ?? []).map((name) => {
          const repo =
            (owner && repoByName(state, owner.login, name)) ||
            state.repos.find((r) => r.name === name && installationCovers(record, r));
          if (!repo || !installationCovers(record, repo)) {
            throw validationFailed([
              { resource: 'InstallationToken', field: 'repositories', code: 'invalid' },
            ]);
          }
          return repo.id;
        });
        repositoryIds = [...byName, ...(body.repository_ids ?? [])];
      }
      const token = mintToken('ghs');
      const expiresAt = isoSeconds(new Date(ctx.now().getTime() + 3600_000));
      const tokenRecord: TokenRecord = {
        id: ctx.store.nextId(),
        hash: hashToken(token),
        lastEight: token.slice(-8),
        kind: 'installation',
        installationId: record.id,
        ...(repositoryIds ? { repositoryIds } : {}),
        scopes: [],
        note: null,
        createdAt: isoSeconds(ctx.now()),
        expiresAt,
      };
      // Expired installation tokens are useless; drop them so the state file stays small.
      state.tokens = state.tokens.filter((t) => !t.expiresAt || new Date(t.expiresAt) > ctx.now());
      state.tokens.push(tokenRecord);
      return {
        status: 201,
        body: {
          token,
          expires_at: expiresAt,
          permissions: body?.permissions ?? app.permissions,
          repository_selection: repositoryIds ? 'selected' : record.repositorySelection,
          ...(repositoryIds
            ? {
                repositories: state.repos
                  .filter((r) => repositoryIds.includes(r.id))
                  .map((r) => repository(ctx.urls, state, r)),
              }
            : {}),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/installation/repositories',
    handle(ctx, req) {
      const principal = req.principal;
      if (principal.kind !== 'installation')
        throw new ApiError(403, 'This endpoint requires an installation token.');
      const state = ctx.store.state;
      const repos = state.repos.filter((r) => roleOn(state, principal, r) === 'write');
      const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30) || 30);
      const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
      const slice = repos.slice((page - 1) * perPage, page * perPage);
      return {
        status: 200,
        body: {
          total_count: repos.length,
          repository_selection:
            installationById(state, principal.installationId)?.repositorySelection ?? 'all',
          repositories: slice.map((r) => repository(ctx.urls, state, r)),
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/app/hook/config',
    handle(ctx, req) {
      const app = appOf(ctx, req);
      return { status: 200, body: hookConfig(app) };
    },
  },
  {
    method: 'PATCH',
    path: '/app/hook/config',
    handle(ctx, req) {
      const app = appOf(ctx, req);
      const body = parseBody(
        z.object({
          url: z.url().optional(),
          secret: z.string().optional(),
          content_type: z.string().optional(),
        }),
        req.body,
        'HookConfig',
      );
      if (body.url !== undefined) app.webhookUrl = body.url;
      if (body.secret !== undefined) app.webhookSecret = body.secret;
      return { status: 200, body: hookConfig(app) };
    },
  },
  {
    method: 'GET',
    path: '/app/hook/deliveries',
    handle(ctx, req) {
      const app = appOf(ctx, req);
      const perPage = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 30) || 30));
      const cursor = Number(req.query.get('cursor') ?? Number.POSITIVE_INFINITY);
      const mine = ctx.store.state.deliveries
        .filter((d) => d.appId === app.id && d.id < cursor)
        .sort((a, b) => b.id - a.id);
      const page = mine.slice(0, perPage);
      const last = page.at(-1);
      const headers: Record<string, string> = {};
      if (mine.length > perPage && last) {
        headers.link = `<${ctx.urls.api}/app/hook/deliveries?per_page=${perPage}&cursor=${last.id}>; rel="next"`;
      }
      return { status: 200, body: page.map(deliveryItem), headers };
    },
  },
  {
    method: 'POST',
    path: '/app/hook/deliveries/{delivery_id}/attempts',
    handle(ctx, req) {
      const found = requireDelivery(ctx, req);
      ctx.events.redeliver(found);
      return { status: 202, body: {} };
    },
  },
  {
    method: 'GET',
    path: '/app/hook/deliveries/{delivery_id}',
    handle(ctx, req) {
      const found = requireDelivery(ctx, req);
      return { status: 200, body: delivery(found) };
    },
  },
];

/** The app's webhook configuration; GitHub never shows the secret. */
function hookConfig(app: AppRecord) {
  return { url: app.webhookUrl ?? '', content_type: 'json', secret: '********', insecure_ssl: '0' };
}

/** The calling app's logged delivery named by `{delivery_id}`; 404 for another app's. */
function requireDelivery(ctx: ForgeContext, req: ApiRequest): DeliveryRecord {
  const app = appOf(ctx, req);
  const id = intParam(req.params, 'delivery_id');
  const found = ctx.store.state.deliveries.find((d) => d.appId === app.id && d.id === id);
  if (!found) throw notFound();
  return found;
}
