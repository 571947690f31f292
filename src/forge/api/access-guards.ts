/**
 * Route guards: find the repository a route names and check the caller's role on it, failing
 * the way GitHub does — 404 when the caller may not even see the repository, 403 when it may see
 * but not act, 401 when it has not authenticated at all.
 */
import { actingLogin, roleOn } from '../auth/access.js';
import type { ApiRequest, ForgeContext } from '../forge-context.js';
import { ApiError, notFound } from '../http/api-error.js';
import { intParam } from '../http/parse-body.js';
import {
  type AccountRecord,
  type IssueRecord,
  permissionRank,
  type RepoRecord,
  type RepoRole,
} from '../state/model.js';
import { accountByLogin, issueByNumber, repoByName } from '../state/queries.js';

export function requireRepo(ctx: ForgeContext, req: ApiRequest, need: RepoRole = 'read'): RepoRecord {
  const repo = repoByName(ctx.store.state, req.params.owner ?? '', req.params.repo ?? '');
  if (!repo) throw notFound();
  const role = roleOn(ctx.store.state, req.principal, repo);
  if (role === 'none') throw notFound();
  if (permissionRank(role) < permissionRank(need)) {
    if (req.principal.kind === 'anonymous') throw new ApiError(401, 'Requires authentication');
    if (req.principal.kind === 'installation' || req.principal.kind === 'app') {
      throw new ApiError(403, 'Resource not accessible by integration');
    }
    throw new ApiError(
      403,
      need === 'admin' ? 'Must have admin rights to Repository.' : 'Must have push access to repository',
    );
  }
  return repo;
}

/** The issue or pull request `{issue_number}` names in `repo`; 404 when there is none. */
export function requireIssue(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): IssueRecord {
  const found = issueByNumber(ctx.store.state, repo.id, intParam(req.params, 'issue_number'));
  if (!found) throw notFound();
  return found;
}

export function roleOf(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): RepoRole | 'none' {
  return roleOn(ctx.store.state, req.principal, repo);
}

/** The account acting (a user, or an installation's bot account); 401 for anonymous callers. */
export function requireActor(ctx: ForgeContext, req: ApiRequest): AccountRecord {
  const login = actingLogin(ctx.store.state, req.principal);
  const account = login ? accountByLogin(ctx.store.state, login) : undefined;
  if (!account) {
    if (req.principal.kind === 'app') {
      throw new ApiError(
        403,
        'A JSON web token cannot be used to access this endpoint; use an installation token.',
      );
    }
    throw new ApiError(401, 'Requires authentication');
  }
  return account;
}

/** Routes only a signed-in user may call (not an installation). */
export function requireUser(ctx: ForgeContext, req: ApiRequest): AccountRecord {
  if (req.principal.kind === 'installation')
    throw new ApiError(403, 'Resource not accessible by integration');
  return requireActor(ctx, req);
}

export function requireSiteAdmin(ctx: ForgeContext, req: ApiRequest): AccountRecord {
  const user = requireUser(ctx, req);
  if (!user.siteAdmin) throw new ApiError(403, 'Must be a site administrator.');
  return user;
}

/** The calling app, for routes that take the app's JWT. */
export function requireAppJwt(req: ApiRequest): number {
  if (req.principal.kind !== 'app') {
    throw new ApiError(401, 'A JSON web token could not be decoded', {
      documentationUrl: 'https://docs.github.com/rest/apps/apps',
    });
  }
  return req.principal.appId;
}

export function now(ctx: ForgeContext): string {
  return ctx
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}
