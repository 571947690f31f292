/** Pull requests: create, read, list, update, merge, update-branch, files and commits. */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { syncPullRef } from '../git/after-push.js';
import { ApiError, notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import { mergePull, updateBranch } from '../pulls/merge-pull.js';
import { isPull, type OpenPull, pullFacts } from '../pulls/pull-facts.js';
import { commit, diffEntry } from '../shapes/commit.js';
import { pullRequest, pullRequestSimple } from '../shapes/pull-request.js';
import type { IssueRecord, RepoRecord } from '../state/model.js';
import { issueByNumber, repoById, repoByName } from '../state/queries.js';
import { emitPullRequest } from '../webhooks/emit-events.js';
import { now, requireActor, requireRepo } from './access-guards.js';

export function requirePull(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): OpenPull {
  const issue = issueByNumber(ctx.store.state, repo.id, intParam(req.params, 'pull_number'));
  if (!isPull(issue)) throw notFound();
  return issue;
}

async function present(ctx: ForgeContext, repo: RepoRecord, pull: OpenPull) {
  return pullRequest(ctx.urls, ctx.store.state, repo, pull, await pullFacts(ctx, repo, pull));
}

/** Finds the repository a `head` of `owner:branch` names: the base itself or a fork in its network. */
function headRepoFor(ctx: ForgeContext, base: RepoRecord, owner: string): RepoRecord | undefined {
  if (owner.toLowerCase() === base.ownerLogin.toLowerCase()) return base;
  const state = ctx.store.state;
  const inNetwork = (repo: RepoRecord): boolean => {
    let current: RepoRecord | undefined = repo;
    while (current) {
      if (current.id === base.id) return true;
      current = current.parentId === null ? undefined : repoById(state, current.parentId);
    }
    return false;
  };
  return state.repos.find((r) => r.ownerLogin.toLowerCase() === owner.toLowerCase() && inNetwork(r));
}

const createBody = z.object({
  title: z.string().optional(),
  head: z.string(),
  head_repo: z.string().optional(),
  base: z.string(),
  body: z.string().nullable().optional(),
  maintainer_can_modify: z.boolean().optional(),
  draft: z.boolean().optional(),
  issue: z.number().int().optional(),
});

const updateBody = z.object({
  title: z.string().optional(),
  body: z.string().nullable().optional(),
  state: z.enum(['open', 'closed']).optional(),
  base: z.string().optional(),
  maintainer_can_modify: z.boolean().optional(),
  /** Not in GitHub's REST API (it uses GraphQL for this); the sandbox accepts it to mark ready. */
  draft: z.literal(false).optional(),
});

export const pullRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      const body = parseBody(createBody, req.body, 'PullRequest');
      const state = ctx.store.state;
      const [headOwner, headBranch] = body.head.includes(':')
        ? body.head.split(':', 2)
        : [repo.ownerLogin, body.head];
      const headRepo = body.head_repo
        ? repoByName(state, ...(body.head_repo.split('/', 2) as [string, string]))
        : headRepoFor(ctx, repo, headOwner ?? '');
      const git = ctx.git(repo);
      const baseSha = await git.readRef(`refs/heads/${body.base}`);
      const headSha = headRepo ? await ctx.git(headRepo).readRef(`refs/heads/${headBranch}`) : null;
      if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      if (!headRepo || !headSha)
        throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      const existing = state.issues.find(
        (i) =>
          i.repoId === repo.id &&
          i.state === 'open' &&
          i.pull?.headRepoId === headRepo.id &&
          i.pull.headRef === headBranch &&
          i.pull.baseRef === body.base,
      );
      if (existing) {
        throw validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${headRepo.ownerLogin}:${headBranch}.`,
          },
        ]);
      }
      let converted: IssueRecord | undefined;
      if (body.issue !== undefined) {
        converted = issueByNumber(state, repo.id, body.issue);
        if (!converted || converted.pull)
          throw validationFailed([{ resource: 'PullRequest', field: 'issue', code: 'invalid' }]);
      } else if (body.title === undefined) {
        throw validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
      }
      const number = converted?.number ?? repo.nextNumber;
      if (headRepo.id !== repo.id)
        await git.fetchRef(ctx.git(headRepo).path, `refs/heads/${headBranch}`, `refs/pull/${number}/head`);
      if ((await git.log(headSha, { exclude: [baseSha], limit: 1 })).length === 0) {
        if (headRepo.id !== repo.id) await git.deleteRef(`refs/pull/${number}/head`);
        throw validationFailed([
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${body.base} and ${headBranch}`,
          },
        ]);
      }
      await git.updateRef(`refs/pull/${number}/head`, headSha);
      const stamp = now(ctx);
      const pull: OpenPull = (converted ?? {
        id: ctx.store.nextId(),
        pullId: null,
        repoId: repo.id,
        number,
        title: body.title ?? '',
        body: body.body ?? null,
        userLogin: actor.login,
        state: 'open',
        stateReason: null,
        labelIds: [],
        assignees: [],
        milestoneId: null,
        locked: false,
        lockReason: null,
        createdAt: stamp,
        updatedAt: stamp,
        closedAt: null,
        closedByLogin: null,
        pull: null,
      }) as OpenPull;
      pull.pullId = ctx.store.nextId();
      pull.pull = {
        headRepoId: headRepo.id,
        headRef: headBranch ?? '',
        headSha,
        baseRef: body.base,
        draft: body.draft ?? false,
        maintainerCanModify: headRepo.id !== repo.id && (body.maintainer_can_modify ?? true),
        merged: false,
        mergedAt: null,
        mergedByLogin: null,
        mergeCommitSha: null,
        frozen: null,
      };
      if (!converted) {
        state.issues.push(pull);
        repo.nextNumber += 1;
      }
      await emitPullRequest(ctx, repo, pull, 'opened', actor);
      return { status: 201, body: await present(ctx, repo, pull) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const wanted = req.query.get('state') ?? 'open';
      const head = req.query.get('head');
      const base = req.query.get('base');
      const direction = req.query.get('direction') ?? 'desc';
      const sort = req.query.get('sort') ?? 'created';
      const state = ctx.store.state;
      const pulls = state.issues.filter((i): i is OpenPull => {
        if (i.repoId !== repo.id || !i.pull) return false;
        if (wanted !== 'all' && i.state !== wanted) return false;
        if (base && i.pull.baseRef !== base) return false;
        if (head) {
          const [owner, branch] = head.includes(':') ? head.split(':', 2) : [repo.ownerLogin, head];
          const headRepo = repoById(state, i.pull.headRepoId);
          if (headRepo?.ownerLogin.toLowerCase() !== owner?.toLowerCase() || i.pull.headRef !== branch)
            return false;
        }
        return true;
      });
      const key = sort === 'updated' ? (i: IssueRecord) => i.updatedAt : (i: IssueRecord) => i.createdAt;
      pulls.sort((a, b) => (key(a) === key(b) ? a.number - b.number : key(a) < key(b) ? -1 : 1));
      if (direction === 'desc') pulls.reverse();
      const shapes = await Promise.all(
        pulls.map(async (p) => {
          const baseSha = (await ctx.git(repo).readRef(`refs/heads/${p.pull.baseRef}`)) ?? p.pull.headSha;
          return pullRequestSimple(ctx.urls, state, repo, p, { baseSha, headSha: p.pull.headSha });
        }),
      );
      return paginate(ctx.urls, req, shapes);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return { status: 200, body: await present(ctx, repo, requirePull(ctx, req, repo)) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const isAuthor = pull.userLogin.toLowerCase() === actor.login.toLowerCase();
      if (!isAuthor) requireRepo(ctx, req, 'triage');
      const body = parseBody(updateBody, req.body, 'PullRequest');
      const changes: Record<string, { from: string }> = {};
      if (body.title !== undefined && body.title !== pull.title) {
        changes.title = { from: pull.title };
        pull.title = body.title;
      }
      if (body.body !== undefined && body.body !== pull.body) {
        changes.body = { from: pull.body ?? '' };
        pull.body = body.body;
      }
      if (body.base !== undefined && body.base !== pull.pull.baseRef) {
        if (!(await ctx.git(repo).readRef(`refs/heads/${body.base}`))) {
          throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
        }
        changes.base = { from: pull.pull.baseRef };
        pull.pull.baseRef = body.base;
      }
      if (body.maintainer_can_modify !== undefined)
        pull.pull.maintainerCanModify = body.maintainer_can_modify;
      const stamp = now(ctx);
      pull.updatedAt = stamp;
      if (Object.keys(changes).length > 0) {
        const wireChanges: Record<string, unknown> = { ...changes };
        if (changes.base)
          wireChanges.base = { ref: { from: changes.base.from }, sha: { from: pull.pull.headSha } };
        await emitPullRequest(ctx, repo, pull, 'edited', actor, { changes: wireChanges });
      }
      if (body.draft === false && pull.pull.draft) {
        pull.pull.draft = false;
        await emitPullRequest(ctx, repo, pull, 'ready_for_review', actor);
      }
      if (body.state && body.state !== pull.state && !pull.pull.merged) {
        if (body.state === 'closed') {
          pull.state = 'closed';
          pull.closedAt = stamp;
          pull.closedByLogin = actor.login;
          await emitPullRequest(ctx, repo, pull, 'closed', actor);
        } else {
          const headRepo = repoById(ctx.store.state, pull.pull.headRepoId);
          const headSha = headRepo
            ? await ctx.git(headRepo).readRef(`refs/heads/${pull.pull.headRef}`)
            : null;
          if (!headRepo || !headSha)
            throw new ApiError(422, 'The head branch of this pull request no longer exists.');
          pull.state = 'open';
          pull.closedAt = null;
          pull.closedByLogin = null;
          pull.pull.frozen = null;
          pull.pull.headSha = headSha;
          await syncPullRef(ctx, repo, headRepo, pull.number, pull.pull.headRef);
          await emitPullRequest(ctx, repo, pull, 'reopened', actor);
        }
      }
      return { status: 200, body: await present(ctx, repo, pull) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const pull = requirePull(ctx, req, repo);
      return { status: pull.pull.merged ? 204 : 404 };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const body = parseBody(
        z
          .object({
            commit_title: z.string().optional(),
            commit_message: z.string().optional(),
            sha: z.string().optional(),
            merge_method: z.enum(['merge', 'squash', 'rebase']).optional(),
          })
          .nullable(),
        req.body,
        'PullRequest',
      );
      const result = await mergePull(
        ctx,
        repo,
        pull,
        {
          method: body?.merge_method ?? 'merge',
          ...(body?.sha !== undefined ? { sha: body.sha } : {}),
          ...(body?.commit_title !== undefined ? { commitTitle: body.commit_title } : {}),
          ...(body?.commit_message !== undefined ? { commitMessage: body.commit_message } : {}),
        },
        actor,
      );
      return { status: 200, body: { sha: result.sha, merged: true, message: result.message } };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/update-branch',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const body = parseBody(
        z.object({ expected_head_sha: z.string().optional() }).nullable(),
        req.body,
        'PullRequest',
      );
      await updateBranch(ctx, repo, pull, actor, body?.expected_head_sha);
      return {
        status: 202,
        body: {
          message: 'Updating pull request branch.',
          url: `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}/pull/${pull.number}`,
        },
      };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/commits',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const facts = await pullFacts(ctx, repo, pull);
      const git = ctx.git(repo);
      const exclude = facts.mergeBase
        ? [facts.mergeBase]
        : pull.pull.frozen
          ? [pull.pull.frozen.baseSha]
          : [];
      const commits = await git.log(pull.pull.headSha, { exclude, reverse: true, limit: 250 });
      return paginate(
        ctx.urls,
        req,
        commits.map((c) => commit(ctx.urls, ctx.store.state, repo, c)),
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/files',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const git = ctx.git(repo);
      const base =
        pull.pull.frozen?.baseSha ??
        (await git.readRef(`refs/heads/${pull.pull.baseRef}`)) ??
        pull.pull.headSha;
      const from = (await git.mergeBase(base, pull.pull.headSha)) ?? base;
      const files = await git.changedFiles(from, pull.pull.headSha);
      return paginate(
        ctx.urls,
        req,
        files.map((f) => diffEntry(ctx.urls, repo, pull.pull.headSha, f)),
      );
    },
  },
];
