/** Repositories: create (user, org, fork), read, update, delete, list. */
import { rm } from 'node:fs/promises';
import { z } from 'zod';
import { roleOn } from '../auth/access.js';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { parseBody } from '../http/parse-body.js';
import { fullRepository, repository } from '../shapes/repository.js';
import type { AccountRecord, RepoRecord } from '../state/model.js';
import { accountByLogin, repoByName } from '../state/queries.js';
import { emitRepositoryAdded } from '../webhooks/installation-events.js';
import { now, requireRepo, requireUser, roleOf } from './access-guards.js';

const namePattern = /^[A-Za-z0-9._-]{1,100}$/;

export interface NewRepository {
  owner: AccountRecord;
  name: string;
  private?: boolean;
  description?: string | null;
  homepage?: string | null;
  autoInit?: boolean;
  defaultBranch?: string;
  parent?: RepoRecord;
  /** Who creates it (for webhooks); the owner when omitted. */
  sender?: AccountRecord;
}

export async function createRepository(ctx: ForgeContext, input: NewRepository): Promise<RepoRecord> {
  const state = ctx.store.state;
  if (!namePattern.test(input.name) || input.name === '.' || input.name === '..') {
    throw validationFailed([{ resource: 'Repository', field: 'name', code: 'invalid' }]);
  }
  if (repoByName(state, input.owner.login, input.name)) {
    throw validationFailed(
      [
        {
          resource: 'Repository',
          field: 'name',
          code: 'custom',
          message: 'name already exists on this account',
        },
      ],
      'Repository creation failed.',
    );
  }
  const stamp = now(ctx);
  const repo: RepoRecord = {
    id: ctx.store.nextId(),
    ownerLogin: input.owner.login,
    name: input.name,
    private: input.private ?? input.parent?.private ?? false,
    description: input.description ?? input.parent?.description ?? null,
    homepage: input.homepage ?? null,
    defaultBranch: input.parent?.defaultBranch ?? input.defaultBranch ?? 'main',
    createdAt: stamp,
    updatedAt: stamp,
    pushedAt: null,
    parentId: input.parent?.id ?? null,
    hasIssues: !input.parent,
    allowMergeCommit: true,
    allowSquashMerge: true,
    allowRebaseMerge: true,
    deleteBranchOnMerge: false,
    collaborators: [],
    nextNumber: 1,
    labels: [],
    milestones: [],
    protections: {},
    ciRule: null,
  };
  const git = ctx.git(repo);
  if (input.parent) {
    await git.cloneFrom(ctx.git(input.parent).path);
    repo.pushedAt = input.parent.pushedAt;
  } else {
    await git.init(repo.defaultBranch);
    if (input.autoInit) {
      const readme = await git.writeBlob(
        Buffer.from(`# ${repo.name}\n${repo.description ? `\n${repo.description}\n` : ''}`),
      );
      const tree = await git.buildTree(null, [{ path: 'README.md', mode: '100644', sha: readme }]);
      const author = { name: input.owner.login, email: noreplyEmail(input.owner), date: stamp };
      const commit = await git.commitTree({ tree, parents: [], message: 'Initial commit', author });
      await git.updateRef(`refs/heads/${repo.defaultBranch}`, commit, null);
      repo.pushedAt = stamp;
    }
  }
  state.repos.push(repo);
  emitRepositoryAdded(ctx, repo, input.sender ?? input.owner);
  return repo;
}

/** GitHub's no-reply address for an account, used as the author email of web commits. */
export function noreplyEmail(account: AccountRecord): string {
  return `${account.id}+${account.login}@users.noreply.github.com`;
}

const createBody = z.object({
  name: z.string(),
  description: z.string().nullable().optional(),
  homepage: z.string().nullable().optional(),
  private: z.boolean().optional(),
  visibility: z.enum(['public', 'private', 'internal']).optional(),
  auto_init: z.boolean().optional(),
  has_issues: z.boolean().optional(),
  allow_squash_merge: z.boolean().optional(),
  allow_merge_commit: z.boolean().optional(),
  allow_rebase_merge: z.boolean().optional(),
  delete_branch_on_merge: z.boolean().optional(),
});

async function createFromBody(ctx: ForgeContext, req: ApiRequest, owner: AccountRecord) {
  const body = parseBody(createBody, req.body, 'Repository');
  const repo = await createRepository(ctx, {
    owner,
    sender: requireUser(ctx, req),
    name: body.name,
    private: body.private ?? (body.visibility ? body.visibility !== 'public' : false),
    description: body.description ?? null,
    homepage: body.homepage ?? null,
    autoInit: body.auto_init ?? false,
  });
  applySettings(repo, body);
  return {
    status: 201,
    body: fullRepository(ctx.urls, ctx.store.state, repo, { role: roleOf(ctx, req, repo) }),
  };
}

function applySettings(repo: RepoRecord, body: Partial<z.infer<typeof updateBody>>) {
  if (body.has_issues !== undefined) repo.hasIssues = body.has_issues;
  if (body.allow_merge_commit !== undefined) repo.allowMergeCommit = body.allow_merge_commit;
  if (body.allow_squash_merge !== undefined) repo.allowSquashMerge = body.allow_squash_merge;
  if (body.allow_rebase_merge !== undefined) repo.allowRebaseMerge = body.allow_rebase_merge;
  if (body.delete_branch_on_merge !== undefined) repo.deleteBranchOnMerge = body.delete_branch_on_merge;
}

const updateBody = createBody.partial().extend({ default_branch: z.string().optional() });

function listFor(ctx: ForgeContext, req: ApiRequest, repos: RepoRecord[]) {
  const visible = repos.filter((r) => roleOn(ctx.store.state, req.principal, r) !== 'none');
  return paginate(
    ctx.urls,
    req,
    visible.map((r) => repository(ctx.urls, ctx.store.state, r, { role: roleOf(ctx, req, r) })),
  );
}

export const repoRoutes: Route[] = [
  {
    method: 'POST',
    path: '/user/repos',
    handle: (ctx, req) => createFromBody(ctx, req, requireUser(ctx, req)),
  },
  {
    method: 'POST',
    path: '/orgs/{org}/repos',
    handle(ctx, req) {
      const actor = requireUser(ctx, req);
      const org = accountByLogin(ctx.store.state, req.params.org ?? '');
      if (org?.type !== 'Organization') throw notFound();
      const member = org.members?.some((m) => m.login.toLowerCase() === actor.login.toLowerCase());
      if (!member && !actor.siteAdmin)
        throw new ApiError(403, 'You need to be a member of this organization.');
      return createFromBody(ctx, req, org);
    },
  },
  {
    method: 'GET',
    path: '/user/repos',
    handle(ctx, req) {
      const user = requireUser(ctx, req);
      const mine = ctx.store.state.repos.filter((r) => {
        const role = roleOn(ctx.store.state, { kind: 'user', login: user.login }, r);
        return (
          r.ownerLogin === user.login ||
          r.collaborators.some((c) => c.login === user.login) ||
          (r.private && role !== 'none')
        );
      });
      return listFor(ctx, req, mine);
    },
  },
  {
    method: 'GET',
    path: '/users/{username}/repos',
    handle: (ctx, req) =>
      listFor(
        ctx,
        req,
        ctx.store.state.repos.filter(
          (r) => r.ownerLogin.toLowerCase() === req.params.username?.toLowerCase(),
        ),
      ),
  },
  {
    method: 'GET',
    path: '/orgs/{org}/repos',
    handle: (ctx, req) =>
      listFor(
        ctx,
        req,
        ctx.store.state.repos.filter((r) => r.ownerLogin.toLowerCase() === req.params.org?.toLowerCase()),
      ),
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sizeKb = await ctx.git(repo).countObjectsKb();
      return {
        status: 200,
        body: fullRepository(ctx.urls, ctx.store.state, repo, { role: roleOf(ctx, req, repo), sizeKb }),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      const body = parseBody(updateBody, req.body, 'Repository');
      if (body.name !== undefined && body.name !== repo.name) {
        if (!namePattern.test(body.name) || repoByName(ctx.store.state, repo.ownerLogin, body.name)) {
          throw validationFailed([{ resource: 'Repository', field: 'name', code: 'invalid' }]);
        }
        repo.name = body.name;
      }
      if (body.default_branch !== undefined) {
        if (!(await ctx.git(repo).readRef(`refs/heads/${body.default_branch}`))) {
          throw validationFailed([{ resource: 'Repository', field: 'default_branch', code: 'invalid' }]);
        }
        repo.defaultBranch = body.default_branch;
        await ctx.git(repo).setHead(body.default_branch);
      }
      if (body.description !== undefined) repo.description = body.description;
      if (body.homepage !== undefined) repo.homepage = body.homepage;
      if (body.private !== undefined) repo.private = body.private;
      applySettings(repo, body);
      repo.updatedAt = now(ctx);
      return {
        status: 200,
        body: fullRepository(ctx.urls, ctx.store.state, repo, { role: roleOf(ctx, req, repo) }),
      };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'admin');
      const state = ctx.store.state;
      state.repos = state.repos.filter((r) => r.id !== repo.id);
      state.issues = state.issues.filter((i) => i.repoId !== repo.id);
      state.comments = state.comments.filter((c) => c.repoId !== repo.id);
      state.reviews = state.reviews.filter((r) => r.repoId !== repo.id);
      state.statuses = state.statuses.filter((s) => s.repoId !== repo.id);
      state.checkRuns = state.checkRuns.filter((c) => c.repoId !== repo.id);
      state.checkSuites = state.checkSuites.filter((c) => c.repoId !== repo.id);
      state.releases = state.releases.filter((r) => r.repoId !== repo.id);
      for (const fork of state.repos.filter((r) => r.parentId === repo.id)) fork.parentId = null;
      await rm(ctx.git(repo).path, { recursive: true, force: true });
      return { status: 204 };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/forks',
    async handle(ctx, req) {
      const parent = requireRepo(ctx, req);
      const actor = requireUser(ctx, req);
      const body = parseBody(
        z.object({ organization: z.string().optional(), name: z.string().optional() }).nullable(),
        req.body,
        'Fork',
      );
      let owner = actor;
      if (body?.organization) {
        const org = accountByLogin(ctx.store.state, body.organization);
        if (org?.type !== 'Organization')
          throw validationFailed([{ resource: 'Fork', field: 'organization', code: 'invalid' }]);
        owner = org;
      }
      const name = body?.name ?? parent.name;
      const existing = repoByName(ctx.store.state, owner.login, name);
      if (existing?.parentId === parent.id) {
        return {
          status: 202,
          body: fullRepository(ctx.urls, ctx.store.state, existing, { role: roleOf(ctx, req, existing) }),
        };
      }
      const fork = await createRepository(ctx, { owner, name, parent, sender: actor });
      return {
        status: 202,
        body: fullRepository(ctx.urls, ctx.store.state, fork, { role: roleOf(ctx, req, fork) }),
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/forks',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return listFor(
        ctx,
        req,
        ctx.store.state.repos.filter((r) => r.parentId === repo.id),
      );
    },
  },
];
