/**
 * Pull request reviews: submit (APPROVE, REQUEST_CHANGES, COMMENT), pending reviews and their
 * later submission, and dismissal. Authors cannot approve or request changes on their own PR.
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError, notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import type { OpenPull } from '../pulls/pull-facts.js';
import { authorAssociation } from '../shapes/issue.js';
import { simpleUser } from '../shapes/user.js';
import type { AccountRecord, RepoRecord, ReviewRecord, ReviewState } from '../state/model.js';
import { accountOrThrow } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';
import { envelope, webhookPull } from '../webhooks/emit-events.js';
import { webhookReviewedPullRequest } from '../webhooks/webhook-shapes.js';
import { now, requireActor, requireRepo } from './access-guards.js';
import { requirePull } from './pulls.js';

function reviewShape(ctx: ForgeContext, repo: RepoRecord, pull: OpenPull, review: ReviewRecord) {
  const web = `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}/pull/${pull.number}#pullrequestreview-${review.id}`;
  const pullUrl = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}/pulls/${pull.number}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: simpleUser(ctx.urls, accountOrThrow(ctx.store.state, review.userLogin)),
    body: review.body,
    state: review.state,
    html_url: web,
    pull_request_url: pullUrl,
    _links: { html: { href: web }, pull_request: { href: pullUrl } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
    author_association: authorAssociation(ctx.store.state, repo, review.userLogin),
  };
}

async function emitReview(
  ctx: ForgeContext,
  repo: RepoRecord,
  pull: OpenPull,
  review: ReviewRecord,
  action: string,
  sender: AccountRecord,
) {
  const shaped = reviewShape(ctx, repo, pull, review);
  ctx.events.emit(
    'pull_request_review',
    {
      action,
      review: { ...shaped, state: shaped.state.toLowerCase(), submitted_at: review.submittedAt },
      pull_request: webhookReviewedPullRequest(await webhookPull(ctx, repo, pull)),
      ...envelope(ctx, repo, sender),
    },
    repo,
  );
}

const eventToState: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

function requireReview(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord, pull: OpenPull): ReviewRecord {
  const id = intParam(req.params, 'review_id');
  const found = ctx.store.state.reviews.find(
    (r) => r.id === id && r.repoId === repo.id && r.number === pull.number,
  );
  if (!found) throw notFound();
  return found;
}

function checkSubmission(pull: OpenPull, actor: AccountRecord, state: ReviewState, body: string) {
  const own = pull.userLogin.toLowerCase() === actor.login.toLowerCase();
  if (own && state === 'APPROVED')
    throw validationFailed(
      [{ resource: 'PullRequestReview', code: 'custom', message: 'Can not approve your own pull request' }],
      'Unprocessable Entity',
    );
  if (own && state === 'CHANGES_REQUESTED')
    throw validationFailed(
      [
        {
          resource: 'PullRequestReview',
          code: 'custom',
          message: 'Can not request changes on your own pull request',
        },
      ],
      'Unprocessable Entity',
    );
  if ((state === 'CHANGES_REQUESTED' || state === 'COMMENTED') && body.trim() === '') {
    throw validationFailed(
      [{ resource: 'PullRequestReview', field: 'body', code: 'missing_field' }],
      'Unprocessable Entity',
    );
  }
  if (pull.state !== 'open')
    throw validationFailed(
      [{ resource: 'PullRequestReview', code: 'custom', message: 'Pull request is closed' }],
      'Unprocessable Entity',
    );
}

export const reviewRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const reviews = ctx.store.state.reviews
        .filter((r) => r.repoId === repo.id && r.number === pull.number && r.state !== 'PENDING')
        .map((r) => reviewShape(ctx, repo, pull, r));
      return paginate(ctx.urls, req, reviews);
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const body = parseBody(
        z.object({
          commit_id: z.string().optional(),
          body: z.string().optional(),
          event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']).optional(),
          comments: z.array(z.unknown()).optional(),
        }),
        req.body,
        'PullRequestReview',
      );
      const state = body.event ? (eventToState[body.event] ?? 'COMMENTED') : 'PENDING';
      if (state !== 'PENDING') checkSubmission(pull, actor, state, body.body ?? '');
      const review: ReviewRecord = {
        id: ctx.store.nextId(),
        repoId: repo.id,
        number: pull.number,
        userLogin: actor.login,
        state,
        body: body.body ?? '',
        commitId: body.commit_id ?? pull.pull.headSha,
        submittedAt: state === 'PENDING' ? null : now(ctx),
      };
      ctx.store.state.reviews.push(review);
      if (state !== 'PENDING') await emitReview(ctx, repo, pull, review, 'submitted', actor);
      return { status: 200, body: reviewShape(ctx, repo, pull, review) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const pull = requirePull(ctx, req, repo);
      return { status: 200, body: reviewShape(ctx, repo, pull, requireReview(ctx, req, repo, pull)) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/events',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const review = requireReview(ctx, req, repo, pull);
      if (review.userLogin !== actor.login) throw notFound();
      if (review.state !== 'PENDING')
        throw validationFailed(
          [
            {
              resource: 'PullRequestReview',
              code: 'custom',
              message: 'Can not submit a review that is not pending',
            },
          ],
          'Unprocessable Entity',
        );
      const body = parseBody(
        z.object({ body: z.string().optional(), event: z.enum(['APPROVE', 'REQUEST_CHANGES', 'COMMENT']) }),
        req.body,
        'PullRequestReview',
      );
      const state = eventToState[body.event] ?? 'COMMENTED';
      const text = body.body ?? review.body;
      checkSubmission(pull, actor, state, text);
      review.state = state;
      review.body = text;
      review.submittedAt = now(ctx);
      await emitReview(ctx, repo, pull, review, 'submitted', actor);
      return { status: 200, body: reviewShape(ctx, repo, pull, review) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/dismissals',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const pull = requirePull(ctx, req, repo);
      const review = requireReview(ctx, req, repo, pull);
      const body = parseBody(
        z.object({ message: z.string(), event: z.literal('DISMISS').optional() }),
        req.body,
        'PullRequestReview',
      );
      if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') {
        throw new ApiError(422, 'Can not dismiss a commented pull request review');
      }
      review.state = 'DISMISSED';
      review.body = review.body || body.message;
      await emitReview(ctx, repo, pull, review, 'dismissed', actor);
      return { status: 200, body: reviewShape(ctx, repo, pull, review) };
    },
  },
];

/**
 * GitHub's "dismiss stale pull request approvals when new commits are pushed": a push to the
 * head of a PR whose base branch asks for it dismisses the approvals given so far, with a
 * `pull_request_review` `dismissed` event each, as GitHub does.
 */
export async function dismissStaleApprovals(
  ctx: ForgeContext,
  repo: RepoRecord,
  pull: OpenPull,
  sender: AccountRecord,
): Promise<void> {
  if (!repo.protections[pull.pull.baseRef]?.dismissStaleReviews) return;
  const approvals = ctx.store.state.reviews.filter(
    (r) => r.repoId === repo.id && r.number === pull.number && r.state === 'APPROVED',
  );
  for (const review of approvals) {
    review.state = 'DISMISSED';
    await emitReview(ctx, repo, pull, review, 'dismissed', sender);
  }
}
