/** Commit statuses and the combined status of a ref. */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { parseBody } from '../http/parse-body.js';
import { combinedStatus, status } from '../shapes/checks.js';
import { commit, shortBranch } from '../shapes/commit.js';
import type { AccountRecord, RepoRecord, StatusRecord, StatusState } from '../state/model.js';
import { envelope } from '../webhooks/emit-events.js';
import { now, requireActor, requireRepo } from './access-guards.js';

export async function resolveRef(ctx: ForgeContext, repo: RepoRecord, ref: string): Promise<string> {
  const git = ctx.git(repo);
  const sha =
    (await git.resolveCommit(`refs/heads/${ref}`)) ??
    (await git.resolveCommit(`refs/tags/${ref}`)) ??
    (/^[0-9a-f]{4,40}$/i.test(ref) || ref.startsWith('refs/') ? await git.resolveCommit(ref) : null);
  if (!sha)
    throw validationFailed(
      [{ resource: 'Commit', field: 'sha', code: 'invalid', message: `No commit found for SHA: ${ref}` }],
      `No commit found for SHA: ${ref}`,
    );
  return sha;
}

export async function createStatus(
  ctx: ForgeContext,
  repo: RepoRecord,
  sha: string,
  input: { state: StatusState; context: string; description: string | null; targetUrl: string | null },
  creator: AccountRecord,
): Promise<StatusRecord> {
  const stamp = now(ctx);
  const record: StatusRecord = {
    id: ctx.store.nextId(),
    repoId: repo.id,
    sha,
    ...input,
    creatorLogin: creator.login,
    createdAt: stamp,
    updatedAt: stamp,
  };
  ctx.store.state.statuses.push(record);
  const git = ctx.git(repo);
  const info = await git.commit(sha);
  const heads = await git.refs('refs/heads/');
  const branches = [...heads.entries()]
    .filter(([, tip]) => tip === sha)
    .map(([ref]) => {
      const name = ref.slice('refs/heads/'.length);
      return shortBranch(ctx.urls, repo, name, sha, repo.protections[name] !== undefined);
    });
  const shaped = status(ctx.urls, ctx.store.state, repo, record);
  ctx.events.emit(
    'status',
    {
      id: record.id,
      sha,
      name: `${repo.ownerLogin}/${repo.name}`,
      target_url: record.targetUrl,
      avatar_url: shaped.avatar_url,
      context: record.context,
      description: record.description,
      state: record.state,
      commit: info ? statusCommit(ctx, repo, info) : null,
      branches,
      created_at: record.createdAt,
      updated_at: record.updatedAt,
      ...envelope(ctx, repo, creator),
    },
    repo,
  );
  return record;
}

function statusCommit(
  ctx: ForgeContext,
  repo: RepoRecord,
  info: NonNullable<Awaited<ReturnType<ReturnType<ForgeContext['git']>['commit']>>>,
) {
  const shaped = commit(ctx.urls, ctx.store.state, repo, info);
  // The status event's commit carries the older verification shape, without `verified_at`.
  const { verified_at: _verifiedAt, ...verification } = shaped.commit.verification;
  return { ...shaped, commit: { ...shaped.commit, verification } };
}

const createBody = z.object({
  state: z.enum(['error', 'failure', 'pending', 'success']),
  target_url: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  context: z.string().default('default'),
});

async function listStatuses(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const sha = await resolveRef(ctx, repo, req.params.ref ?? '');
  const list = ctx.store.state.statuses
    .filter((s) => s.repoId === repo.id && s.sha === sha)
    .sort((a, b) => b.id - a.id)
    .map((s) => status(ctx.urls, ctx.store.state, repo, s));
  return paginate(ctx.urls, req, list);
}

export const statusRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/statuses/{sha}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const body = parseBody(createBody, req.body, 'Status');
      const sha = await ctx.git(repo).resolveCommit(req.params.sha ?? '');
      if (!sha)
        throw validationFailed(
          [{ resource: 'Status', field: 'sha', code: 'invalid' }],
          `No commit found for SHA: ${req.params.sha}`,
        );
      const record = await createStatus(
        ctx,
        repo,
        sha,
        {
          state: body.state,
          context: body.context,
          description: body.description ?? null,
          targetUrl: body.target_url ?? null,
        },
        actor,
      );
      return { status: 201, body: status(ctx.urls, ctx.store.state, repo, record) };
    },
  },
  { method: 'GET', path: '/repos/{owner}/{repo}/commits/{ref+}/statuses', handle: listStatuses },
  { method: 'GET', path: '/repos/{owner}/{repo}/statuses/{ref+}', handle: listStatuses },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/commits/{ref+}/status',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sha = await resolveRef(ctx, repo, req.params.ref ?? '');
      return { status: 200, body: combinedStatus(ctx.urls, ctx.store.state, repo, sha) };
    },
  },
];
