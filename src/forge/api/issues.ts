/** Issues (which include pull requests, as on GitHub): create, read, update, list, lock. */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { parseBody } from '../http/parse-body.js';
import { issue as issueShape, label } from '../shapes/issue.js';
import { type AccountRecord, type IssueRecord, permissionRank, type RepoRecord } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';
import { emitIssueOrPull } from '../webhooks/emit-events.js';
import { now, requireActor, requireIssue, requireRepo, roleOf } from './access-guards.js';
import { ensureLabels } from './labels.js';

function checkAssignees(ctx: ForgeContext, logins: string[]): string[] {
  return logins.map((login) => {
    const account = accountByLogin(ctx.store.state, login);
    if (!account) throw validationFailed([{ resource: 'Issue', field: 'assignees', code: 'invalid' }]);
    return account.login;
  });
}

function milestoneId(repo: RepoRecord, number: number | null | undefined): number | null {
  if (number === null || number === undefined) return null;
  const found = repo.milestones.find((m) => m.number === number);
  if (!found) throw validationFailed([{ resource: 'Issue', field: 'milestone', code: 'invalid' }]);
  return found.id;
}

const labelList = z.array(z.union([z.string(), z.object({ name: z.string() })])).optional();
const labelNames = (labels: z.infer<typeof labelList>) =>
  (labels ?? []).map((l) => (typeof l === 'string' ? l : l.name));

const createBody = z.object({
  title: z.union([z.string(), z.number()]).transform(String),
  body: z.string().nullable().optional(),
  assignee: z.string().nullable().optional(),
  assignees: z.array(z.string()).optional(),
  milestone: z.number().int().nullable().optional(),
  labels: labelList,
});

const updateBody = z.object({
  title: z.union([z.string(), z.number()]).transform(String).optional(),
  body: z.string().nullable().optional(),
  state: z.enum(['open', 'closed']).optional(),
  state_reason: z.enum(['completed', 'not_planned', 'reopened']).nullable().optional(),
  assignee: z.string().nullable().optional(),
  assignees: z.array(z.string()).optional(),
  milestone: z.number().int().nullable().optional(),
  labels: labelList,
});

/** Only triagers may set labels, assignees and milestones; other authors' fields are silently kept, as on GitHub. */
function canTriage(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): boolean {
  return permissionRank(roleOf(ctx, req, repo)) >= permissionRank('triage');
}

export async function setIssueState(
  ctx: ForgeContext,
  repo: RepoRecord,
  record: IssueRecord,
  state: 'open' | 'closed',
  reason: IssueRecord['stateReason'],
  actor: AccountRecord,
) {
  if (record.state === state) return;
  const stamp = now(ctx);
  record.state = state;
  record.stateReason = state === 'closed' ? (reason ?? 'completed') : 'reopened';
  record.closedAt = state === 'closed' ? stamp : null;
  record.closedByLogin = state === 'closed' ? actor.login : null;
  record.updatedAt = stamp;
  await emitIssueOrPull(ctx, repo, record, state === 'closed' ? 'closed' : 'reopened', actor);
}

export const issueRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      if (!repo.hasIssues)
        throw validationFailed(
          [{ resource: 'Issue', code: 'custom', message: 'Issues are disabled for this repo' }],
          'Issues are disabled for this repo',
        );
      const body = parseBody(createBody, req.body, 'Issue');
      const triage = canTriage(ctx, req, repo);
      const stamp = now(ctx);
      const record: IssueRecord = {
        id: ctx.store.nextId(),
        pullId: null,
        repoId: repo.id,
        number: repo.nextNumber,
        title: body.title,
        body: body.body ?? null,
        userLogin: actor.login,
        state: 'open',
        stateReason: null,
        labelIds: triage ? ensureLabels(ctx, repo, labelNames(body.labels)).map((l) => l.id) : [],
        assignees: triage
          ? checkAssignees(ctx, body.assignees ?? (body.assignee ? [body.assignee] : []))
          : [],
        milestoneId: triage ? milestoneId(repo, body.milestone) : null,
        locked: false,
        lockReason: null,
        createdAt: stamp,
        updatedAt: stamp,
        closedAt: null,
        closedByLogin: null,
        pull: null,
      };
      repo.nextNumber += 1;
      ctx.store.state.issues.push(record);
      await emitIssueOrPull(ctx, repo, record, 'opened', actor);
      return { status: 201, body: issueShape(ctx.urls, ctx.store.state, repo, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const q = req.query;
      const wanted = q.get('state') ?? 'open';
      const labels = (q.get('labels') ?? '')
        .split(',')
        .map((l) => l.trim().toLowerCase())
        .filter(Boolean);
      const since = q.get('since');
      const creator = q.get('creator')?.toLowerCase();
      const assignee = q.get('assignee');
      const sort = q.get('sort') ?? 'created';
      const list = ctx.store.state.issues.filter((i) => {
        if (i.repoId !== repo.id) return false;
        if (wanted !== 'all' && i.state !== wanted) return false;
        const names = i.labelIds.map((id) => repo.labels.find((l) => l.id === id)?.name.toLowerCase());
        if (labels.some((l) => !names.includes(l))) return false;
        if (since && i.updatedAt < since) return false;
        if (creator && i.userLogin.toLowerCase() !== creator) return false;
        if (assignee === 'none' && i.assignees.length > 0) return false;
        if (
          assignee &&
          assignee !== 'none' &&
          assignee !== '*' &&
          !i.assignees.some((a) => a.toLowerCase() === assignee.toLowerCase())
        )
          return false;
        return true;
      });
      const key = (i: IssueRecord) => (sort === 'updated' ? i.updatedAt : i.createdAt);
      list.sort((a, b) => (key(a) === key(b) ? a.number - b.number : key(a) < key(b) ? -1 : 1));
      if ((q.get('direction') ?? 'desc') === 'desc') list.reverse();
      return paginate(
        ctx.urls,
        req,
        list.map((i) => issueShape(ctx.urls, ctx.store.state, repo, i)),
      );
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return { status: 200, body: issueShape(ctx.urls, ctx.store.state, repo, requireIssue(ctx, req, repo)) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/issues/{issue_number}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const actor = requireActor(ctx, req);
      const record = requireIssue(ctx, req, repo);
      if (record.userLogin.toLowerCase() !== actor.login.toLowerCase()) requireRepo(ctx, req, 'triage');
      const body = parseBody(updateBody, req.body, 'Issue');
      const triage = canTriage(ctx, req, repo);
      const changes: Record<string, { from: string }> = {};
      if (body.title !== undefined && body.title !== record.title) {
        changes.title = { from: record.title };
        record.title = body.title;
      }
      if (body.body !== undefined && body.body !== record.body) {
        changes.body = { from: record.body ?? '' };
        record.body = body.body;
      }
      const previousLabels = new Set(record.labelIds);
      if (triage) {
        if (body.labels !== undefined)
          record.labelIds = ensureLabels(ctx, repo, labelNames(body.labels)).map((l) => l.id);
        if (body.assignees !== undefined) record.assignees = checkAssignees(ctx, body.assignees);
        else if (body.assignee !== undefined)
          record.assignees = body.assignee ? checkAssignees(ctx, [body.assignee]) : [];
        if (body.milestone !== undefined) record.milestoneId = milestoneId(repo, body.milestone);
      }
      record.updatedAt = now(ctx);
      if (Object.keys(changes).length > 0)
        await emitIssueOrPull(ctx, repo, record, 'edited', actor, { changes });
      for (const id of record.labelIds.filter((l) => !previousLabels.has(l))) {
        const found = repo.labels.find((l) => l.id === id);
        if (found)
          await emitIssueOrPull(ctx, repo, record, 'labeled', actor, { label: label(ctx.urls, repo, found) });
      }
      for (const id of [...previousLabels].filter((l) => !record.labelIds.includes(l))) {
        const found = repo.labels.find((l) => l.id === id);
        if (found)
          await emitIssueOrPull(ctx, repo, record, 'unlabeled', actor, {
            label: label(ctx.urls, repo, found),
          });
      }
      if (body.state !== undefined && !(record.pull?.merged ?? false)) {
        await setIssueState(ctx, repo, record, body.state, body.state_reason ?? null, actor);
      }
      return { status: 200, body: issueShape(ctx.urls, ctx.store.state, repo, record) };
    },
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/lock',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'triage');
      requireActor(ctx, req);
      const record = requireIssue(ctx, req, repo);
      const body = parseBody(
        z
          .object({ lock_reason: z.enum(['off-topic', 'too heated', 'resolved', 'spam']).optional() })
          .nullable(),
        req.body,
        'Issue',
      );
      record.locked = true;
      record.lockReason = body?.lock_reason ?? null;
      record.updatedAt = now(ctx);
      return { status: 204 };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/lock',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'triage');
      const record = requireIssue(ctx, req, repo);
      record.locked = false;
      record.lockReason = null;
      record.updatedAt = now(ctx);
      return { status: 204 };
    },
  },
];
