/**
 * The git refs API: read one ref or every ref under a prefix, create, move (fast-forward unless
 * `force`) and delete refs. Branch and tag changes fire the same webhooks as a git push.
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { applyRefUpdate } from '../git/ref-updates.js';
import { ApiError, notFound, validationFailed } from '../http/api-error.js';
import { parseBody } from '../http/parse-body.js';
import type { RepoRecord } from '../state/model.js';
import { nodeId } from '../state/timestamp.js';
import { requireActor, requireRepo } from './access-guards.js';

export async function gitRef(ctx: ForgeContext, repo: RepoRecord, ref: string, sha: string) {
  const api = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const type = (await ctx.git(repo).objectType(sha)) ?? 'commit';
  const short = ref.replace(/^refs\//, '');
  return {
    ref,
    node_id: nodeId('Ref', Number.parseInt(sha.slice(0, 8), 16)),
    url: `${api}/git/refs/${short.split('/').map(encodeURIComponent).join('/')}`,
    object: { type, sha, url: `${api}/git/${type === 'tag' ? 'tags' : `${type}s`}/${sha}` },
  };
}

/** `heads/main` or `refs/heads/main` from a route parameter, as the full ref name. */
function fullRef(param: string | undefined): string {
  const ref = (param ?? '').replace(/^\/+/, '');
  return ref.startsWith('refs/') ? ref : `refs/${ref}`;
}

const unprocessable = (message: string) =>
  validationFailed([{ resource: 'Reference', code: 'custom', message }], message);

async function existingRef(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord) {
  const ref = fullRef(req.params.ref);
  const refs = await ctx.git(repo).refs(ref);
  const sha = refs.get(ref);
  return sha ? { ref, sha } : null;
}

export const gitRefRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/ref/{ref+}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const found = await existingRef(ctx, req, repo);
      if (!found) throw notFound();
      return { status: 200, body: await gitRef(ctx, repo, found.ref, found.sha) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/matching-refs/{ref*}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const prefix = fullRef(req.params.ref);
      const refs = await ctx.git(repo).refs('refs/');
      const matching = [...refs.entries()].filter(([ref]) => ref.startsWith(prefix));
      return {
        status: 200,
        body: await Promise.all(matching.map(([ref, sha]) => gitRef(ctx, repo, ref, sha))),
      };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/refs',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const body = parseBody(z.object({ ref: z.string(), sha: z.string() }), req.body, 'Reference');
      const git = ctx.git(repo);
      if (!/^refs\/[^/]+\/.+/.test(body.ref) || !(await git.isValidRefName(body.ref))) {
        throw unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
      }
      if (!/^[0-9a-f]{40}$/.test(body.sha) || !(await git.objectType(body.sha))) {
        throw unprocessable('Object does not exist');
      }
      if ((await git.refs(body.ref)).has(body.ref)) throw unprocessable('Reference already exists');
      await applyRefUpdate(ctx, repo, { ref: body.ref, before: null, after: body.sha }, actor);
      return { status: 201, body: await gitRef(ctx, repo, body.ref, body.sha) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/git/refs/{ref+}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const body = parseBody(
        z.object({ sha: z.string(), force: z.boolean().optional() }),
        req.body,
        'Reference',
      );
      const found = await existingRef(ctx, req, repo);
      if (!found) throw unprocessable('Reference does not exist');
      const git = ctx.git(repo);
      if (!/^[0-9a-f]{40}$/.test(body.sha) || !(await git.objectType(body.sha))) {
        throw unprocessable('Object does not exist');
      }
      if (!body.force && !(await git.isAncestor(found.sha, body.sha))) {
        throw unprocessable('Update is not a fast forward');
      }
      if (found.sha !== body.sha) {
        await applyRefUpdate(ctx, repo, { ref: found.ref, before: found.sha, after: body.sha }, actor);
      }
      return { status: 200, body: await gitRef(ctx, repo, found.ref, body.sha) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/git/refs/{ref+}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const found = await existingRef(ctx, req, repo);
      if (!found) throw unprocessable('Reference does not exist');
      if (found.ref === `refs/heads/${repo.defaultBranch}`) {
        throw new ApiError(422, 'Cannot delete the default branch of a repository.');
      }
      await applyRefUpdate(ctx, repo, { ref: found.ref, before: found.sha, after: null }, actor);
      return { status: 204 };
    },
  },
];
