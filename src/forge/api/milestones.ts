/** Milestones CRUD. */
import { z } from 'zod';
import type { ApiRequest, Route } from '../forge-context.js';
import { notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import { milestone } from '../shapes/issue.js';
import type { MilestoneRecord, RepoRecord } from '../state/model.js';
import { isoSeconds } from '../state/timestamp.js';
import { now, requireActor, requireRepo } from './access-guards.js';

function requireMilestone(req: ApiRequest, repo: RepoRecord): MilestoneRecord {
  const number = intParam(req.params, 'milestone_number');
  const found = repo.milestones.find((m) => m.number === number);
  if (!found) throw notFound();
  return found;
}

const body = z.object({
  title: z.string().min(1),
  state: z.enum(['open', 'closed']).optional(),
  description: z.string().nullable().optional(),
  due_on: z.string().nullable().optional(),
});

export const milestoneRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/milestones',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const wanted = req.query.get('state') ?? 'open';
      const list = repo.milestones
        .filter((m) => wanted === 'all' || m.state === wanted)
        .map((m) => milestone(ctx.urls, ctx.store.state, repo, m));
      return paginate(ctx.urls, req, list);
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/milestones',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const input = parseBody(body, req.body, 'Milestone');
      if (repo.milestones.some((m) => m.title === input.title)) {
        throw validationFailed([{ resource: 'Milestone', field: 'title', code: 'already_exists' }]);
      }
      const stamp = now(ctx);
      const record: MilestoneRecord = {
        id: ctx.store.nextId(),
        number: Math.max(0, ...repo.milestones.map((m) => m.number)) + 1,
        title: input.title,
        description: input.description ?? null,
        state: input.state ?? 'open',
        dueOn: input.due_on ? isoSeconds(input.due_on) : null,
        creatorLogin: actor.login,
        createdAt: stamp,
        updatedAt: stamp,
        closedAt: input.state === 'closed' ? stamp : null,
      };
      repo.milestones.push(record);
      return { status: 201, body: milestone(ctx.urls, ctx.store.state, repo, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/milestones/{milestone_number}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return {
        status: 200,
        body: milestone(ctx.urls, ctx.store.state, repo, requireMilestone(req, repo)),
      };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/milestones/{milestone_number}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const record = requireMilestone(req, repo);
      const input = parseBody(body.partial(), req.body, 'Milestone');
      const stamp = now(ctx);
      if (input.title !== undefined) record.title = input.title;
      if (input.description !== undefined) record.description = input.description;
      if (input.due_on !== undefined) record.dueOn = input.due_on ? isoSeconds(input.due_on) : null;
      if (input.state !== undefined && input.state !== record.state) {
        record.state = input.state;
        record.closedAt = input.state === 'closed' ? stamp : null;
      }
      record.updatedAt = stamp;
      return { status: 200, body: milestone(ctx.urls, ctx.store.state, repo, record) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/milestones/{milestone_number}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const record = requireMilestone(req, repo);
      repo.milestones = repo.milestones.filter((m) => m !== record);
      for (const issue of ctx.store.state.issues)
        if (issue.milestoneId === record.id) issue.milestoneId = null;
      return { status: 204 };
    },
  },
];
