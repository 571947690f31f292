/** Comments on issues and pull requests (the conversation tab). Locked issues take comments only from collaborators. */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import { issueComment } from '../shapes/issue.js';
import { type CommentRecord, permissionRank, type RepoRecord } from '../state/model.js';
import { issueByNumber } from '../state/queries.js';
import { emitIssueComment } from '../webhooks/emit-events.js';
import { now, requireActor, requireIssue, requireRepo, roleOf } from './access-guards.js';

function requireComment(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): CommentRecord {
  const id = intParam(req.params, 'comment_id');
  const found = ctx.store.state.comments.find((c) => c.id === id && c.repoId === repo.id);
  if (!found) throw notFound();
  return found;
}

function mayEdit(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord, comment: CommentRecord): void {
  const actor = requireActor(ctx, req);
  if (actor.login.toLowerCase() === comment.userLogin.toLowerCase()) return;
  if (permissionRank(roleOf(ctx, req, repo)) < permissionRank('write')) {
    throw new ApiError(403, 'You must be the author of this comment or have write access to edit it.');
  }
}

export const issueCommentRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const since = req.query.get('since');
      const list = ctx.store.state.comments
        .filter((c) => c.repoId === repo.id && (!since || c.updatedAt >= since))
        .map((c) => issueComment(ctx.urls, ctx.store.state, repo, c));
      return paginate(ctx.urls, req, list);
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return {
        status: 200,
        body: issueComment(ctx.urls, ctx.store.state, repo, requireComment(ctx, req, repo)),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const comment = requireComment(ctx, req, repo);
      mayEdit(ctx, req, repo, comment);
      const body = parseBody(z.object({ body: z.string() }), req.body, 'IssueComment');
      const previous = comment.body;
      comment.body = body.body;
      comment.updatedAt = now(ctx);
      const issue = issueByNumber(ctx.store.state, repo.id, comment.issueNumber);
      if (issue)
        emitIssueComment(ctx, repo, issue, comment, 'edited', requireActor(ctx, req), {
          changes: { body: { from: previous } },
        });
      return { status: 200, body: issueComment(ctx.urls, ctx.store.state, repo, comment) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/comments/{comment_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const comment = requireComment(ctx, req, repo);
      mayEdit(ctx, req, repo, comment);
      const issue = issueByNumber(ctx.store.state, repo.id, comment.issueNumber);
      if (issue) emitIssueComment(ctx, repo, issue, comment, 'deleted', requireActor(ctx, req));
      ctx.store.state.comments = ctx.store.state.comments.filter((c) => c !== comment);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const issue = requireIssue(ctx, req, repo);
      const list = ctx.store.state.comments
        .filter((c) => c.repoId === repo.id && c.issueNumber === issue.number)
        .map((c) => issueComment(ctx.urls, ctx.store.state, repo, c));
      return paginate(ctx.urls, req, list);
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      const issue = requireIssue(ctx, req, repo);
      if (issue.locked && permissionRank(roleOf(ctx, req, repo)) < permissionRank('write')) {
        throw new ApiError(403, 'Unable to create comment because issue is locked.');
      }
      const body = parseBody(z.object({ body: z.string() }), req.body, 'IssueComment');
      const stamp = now(ctx);
      const comment: CommentRecord = {
        id: ctx.store.nextId(),
        repoId: repo.id,
        issueNumber: issue.number,
        userLogin: actor.login,
        body: body.body,
        createdAt: stamp,
        updatedAt: stamp,
        appId: req.principal.kind === 'installation' ? req.principal.appId : null,
      };
      ctx.store.state.comments.push(comment);
      issue.updatedAt = stamp;
      emitIssueComment(ctx, repo, issue, comment, 'created', actor);
      return { status: 201, body: issueComment(ctx.urls, ctx.store.state, repo, comment) };
    },
  },
];
