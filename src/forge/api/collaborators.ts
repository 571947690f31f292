/**
 * Collaborators and their permission level. GitHub sends an invitation that the invitee
 * accepts; the sandbox accepts on the invitee's behalf, so adding answers 204 like adding an
 * existing collaborator does.
 */
import { z } from 'zod';
import { roleOn } from '../auth/access.js';
import type { Route } from '../forge-context.js';
import { notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { parseBody } from '../http/parse-body.js';
import { permissionsBlock } from '../shapes/repository.js';
import { simpleUser } from '../shapes/user.js';
import type { RepoRole } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';
import { requireRepo } from './access-guards.js';

/** GitHub accepts the legacy names `pull` and `push` alongside the role names. */
const roleFromParam: Record<string, RepoRole> = {
  pull: 'read',
  read: 'read',
  triage: 'triage',
  push: 'write',
  write: 'write',
  maintain: 'maintain',
  admin: 'admin',
};

/** The legacy `permission` value GitHub reports next to `role_name`. */
const legacyPermission: Record<RepoRole | 'none', string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

export const collaboratorRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const state = ctx.store.state;
      const logins = [repo.ownerLogin, ...repo.collaborators.map((c) => c.login)];
      const users = logins
        .map((login) => accountByLogin(state, login))
        .filter((a) => a?.type === 'User')
        .map((a) => {
          const role = roleOn(state, { kind: 'user', login: a!.login }, repo);
          return { ...simpleUser(ctx.urls, a!), permissions: permissionsBlock(role), role_name: role };
        });
      return paginate(ctx.urls, req, users);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const login = req.params.username?.toLowerCase();
      const isCollaborator =
        repo.ownerLogin.toLowerCase() === login ||
        repo.collaborators.some((c) => c.login.toLowerCase() === login);
      return { status: isCollaborator ? 204 : 404 };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      const user = accountByLogin(ctx.store.state, req.params.username ?? '');
      if (user?.type !== 'User') throw notFound();
      const body = parseBody(
        z.object({ permission: z.string().default('push') }).nullable(),
        req.body,
        'Collaborator',
      );
      const role = roleFromParam[body?.permission ?? 'push'];
      if (!role) throw validationFailed([{ resource: 'Collaborator', field: 'permission', code: 'invalid' }]);
      const existing = repo.collaborators.find((c) => c.login === user.login);
      if (existing) existing.role = role;
      else repo.collaborators.push({ login: user.login, role });
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/collaborators/{username}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      const login = req.params.username?.toLowerCase();
      repo.collaborators = repo.collaborators.filter((c) => c.login.toLowerCase() !== login);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/collaborators/{username}/permission',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const user = accountByLogin(ctx.store.state, req.params.username ?? '');
      if (!user) throw notFound();
      const role = roleOn(ctx.store.state, { kind: 'user', login: user.login }, repo);
      return {
        status: 200,
        body: {
          permission: legacyPermission[role],
          role_name: role,
          user: { ...simpleUser(ctx.urls, user), permissions: permissionsBlock(role), role_name: role },
        },
      };
    },
  },
];
