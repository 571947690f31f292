/** Users and organizations, including the GitHub Enterprise admin routes that create them. */
import { z } from 'zod';
import { hashToken, mintToken } from '../auth/tokens.js';
import type { ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { parseBody } from '../http/parse-body.js';
import { fullUser, organizationFull, organizationSimple, privateUser, simpleUser } from '../shapes/user.js';
import type { AccountRecord, AccountType, TokenRecord } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';
import { now, requireActor, requireSiteAdmin, requireUser } from './access-guards.js';

const loginPattern = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

export function createAccount(
  ctx: ForgeContext,
  input: {
    login: string;
    type: AccountType;
    email?: string | null;
    name?: string | null;
    siteAdmin?: boolean;
  },
): AccountRecord {
  const state = ctx.store.state;
  if (input.type !== 'Bot' && !loginPattern.test(input.login)) {
    throw validationFailed([{ resource: 'User', field: 'login', code: 'invalid' }]);
  }
  if (accountByLogin(state, input.login)) {
    throw validationFailed([{ resource: 'User', field: 'login', code: 'already_exists' }]);
  }
  const stamp = now(ctx);
  const account: AccountRecord = {
    id: ctx.store.nextId(),
    login: input.login,
    type: input.type,
    siteAdmin: input.siteAdmin ?? false,
    name: input.name ?? null,
    email: input.email ?? null,
    createdAt: stamp,
    updatedAt: stamp,
    ...(input.type === 'Organization' ? { members: [] } : {}),
  };
  state.accounts.push(account);
  return account;
}

/** Mints an impersonation token for a user; returns the token (shown once) and its record. */
export function issueUserToken(
  ctx: ForgeContext,
  login: string,
  scopes: string[],
  note: string | null = null,
) {
  const token = mintToken('ghp');
  const record: TokenRecord = {
    id: ctx.store.nextId(),
    hash: hashToken(token),
    lastEight: token.slice(-8),
    kind: 'user',
    login,
    scopes,
    note,
    createdAt: now(ctx),
    expiresAt: null,
  };
  ctx.store.state.tokens.push(record);
  return { token, record };
}

function repoCounts(ctx: ForgeContext, login: string) {
  const owned = ctx.store.state.repos.filter((r) => r.ownerLogin.toLowerCase() === login.toLowerCase());
  return { public: owned.filter((r) => !r.private).length, private: owned.filter((r) => r.private).length };
}

function authorization(ctx: ForgeContext, record: TokenRecord, token: string) {
  return {
    id: record.id,
    url: `${ctx.urls.api}/authorizations/${record.id}`,
    scopes: record.scopes,
    token,
    token_last_eight: record.lastEight,
    hashed_token: record.hash,
    app: {
      client_id: 'affineur-forge',
      name: 'GitHub Site Administrator',
      url: `${ctx.urls.web}/site_admin`,
    },
    note: record.note,
    note_url: null,
    updated_at: record.createdAt,
    created_at: record.createdAt,
    fingerprint: null,
    expires_at: record.expiresAt,
  };
}

export const userRoutes: Route[] = [
  {
    method: 'GET',
    path: '/user',
    handle(ctx, req) {
      const user = requireUser(ctx, req);
      const counts = repoCounts(ctx, user.login);
      return { status: 200, body: privateUser(ctx.urls, user, counts.public, counts.private) };
    },
  },
  {
    method: 'GET',
    path: '/users/{username}',
    handle(ctx, req) {
      const account = accountByLogin(ctx.store.state, req.params.username ?? '');
      if (!account) throw notFound();
      if (account.type === 'Organization') {
        return {
          status: 200,
          body: organizationFull(ctx.urls, account, repoCounts(ctx, account.login).public),
        };
      }
      return { status: 200, body: fullUser(ctx.urls, account, repoCounts(ctx, account.login).public) };
    },
  },
  {
    method: 'GET',
    path: '/users',
    handle(ctx, req) {
      const users = ctx.store.state.accounts.filter((a) => a.type === 'User');
      return paginate(
        ctx.urls,
        req,
        users.map((u) => simpleUser(ctx.urls, u)),
      );
    },
  },
  {
    method: 'GET',
    path: '/orgs/{org}',
    handle(ctx, req) {
      const org = accountByLogin(ctx.store.state, req.params.org ?? '');
      if (org?.type !== 'Organization') throw notFound();
      return { status: 200, body: organizationFull(ctx.urls, org, repoCounts(ctx, org.login).public) };
    },
  },
  {
    method: 'POST',
    path: '/admin/users',
    handle(ctx, req) {
      requireSiteAdmin(ctx, req);
      const body = parseBody(
        z.object({ login: z.string(), email: z.string().optional(), suspended: z.boolean().optional() }),
        req.body,
        'User',
      );
      const account = createAccount(ctx, { login: body.login, type: 'User', email: body.email ?? null });
      return { status: 201, body: simpleUser(ctx.urls, account) };
    },
  },
  {
    method: 'POST',
    path: '/admin/users/{username}/authorizations',
    handle(ctx, req) {
      requireSiteAdmin(ctx, req);
      const user = accountByLogin(ctx.store.state, req.params.username ?? '');
      if (user?.type !== 'User') throw notFound();
      const body = parseBody(z.object({ scopes: z.array(z.string()) }), req.body, 'OauthAccess');
      const { token, record } = issueUserToken(ctx, user.login, body.scopes, 'impersonation');
      return { status: 201, body: authorization(ctx, record, token) };
    },
  },
  {
    method: 'DELETE',
    path: '/admin/users/{username}/authorizations',
    handle(ctx, req) {
      requireSiteAdmin(ctx, req);
      const state = ctx.store.state;
      state.tokens = state.tokens.filter(
        (t) =>
          !(
            t.kind === 'user' &&
            t.login?.toLowerCase() === req.params.username?.toLowerCase() &&
            t.note === 'impersonation'
          ),
      );
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/admin/organizations',
    handle(ctx, req) {
      requireSiteAdmin(ctx, req);
      const body = parseBody(
        z.object({ login: z.string(), admin: z.string(), profile_name: z.string().optional() }),
        req.body,
        'Organization',
      );
      const admin = accountByLogin(ctx.store.state, body.admin);
      if (admin?.type !== 'User') {
        throw validationFailed([{ resource: 'Organization', field: 'admin', code: 'invalid' }]);
      }
      const org = createAccount(ctx, {
        login: body.login,
        type: 'Organization',
        name: body.profile_name ?? null,
      });
      org.members = [{ login: admin.login, role: 'admin' }];
      return { status: 201, body: organizationSimple(ctx.urls, org) };
    },
  },
  {
    method: 'PUT',
    path: '/orgs/{org}/memberships/{username}',
    handle(ctx, req) {
      const actor = requireActor(ctx, req);
      const org = accountByLogin(ctx.store.state, req.params.org ?? '');
      if (org?.type !== 'Organization') throw notFound();
      const isAdmin =
        actor.siteAdmin || org.members?.some((m) => m.login === actor.login && m.role === 'admin');
      if (!isAdmin) throw new ApiError(403, 'You must be an admin to add members to this organization.');
      const user = accountByLogin(ctx.store.state, req.params.username ?? '');
      if (user?.type !== 'User') throw notFound();
      const body = parseBody(
        z.object({ role: z.enum(['admin', 'member']).default('member') }),
        req.body,
        'Membership',
      );
      org.members ??= [];
      const members = org.members;
      const existing = members.find((m) => m.login === user.login);
      if (existing) existing.role = body.role;
      else members.push({ login: user.login, role: body.role });
      return {
        status: 200,
        body: {
          url: `${ctx.urls.api}/orgs/${org.login}/memberships/${user.login}`,
          state: 'active',
          role: body.role,
          organization_url: `${ctx.urls.api}/orgs/${org.login}`,
          organization: organizationFull(ctx.urls, org, repoCounts(ctx, org.login).public),
          user: simpleUser(ctx.urls, user),
        },
      };
    },
  },
];
