/** Repository labels (CRUD) and the labels of an issue or pull request (add, set, remove). */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { parseBody } from '../http/parse-body.js';
import { label } from '../shapes/issue.js';
import type { AccountRecord, LabelRecord, RepoRecord } from '../state/model.js';
import { labelByName } from '../state/queries.js';
import { emitIssueOrPull, envelope } from '../webhooks/emit-events.js';
import { now, requireActor, requireIssue, requireRepo } from './access-guards.js';

function emitLabel(
  ctx: ForgeContext,
  repo: RepoRecord,
  record: LabelRecord,
  action: 'created' | 'edited' | 'deleted',
  sender: AccountRecord,
  extra: Record<string, unknown> = {},
) {
  ctx.events.emit(
    'label',
    { action, label: label(ctx.urls, repo, record), ...extra, ...envelope(ctx, repo, sender) },
    repo,
  );
}

const colorPattern = /^[0-9a-fA-F]{6}$/;

/** The labels named, creating missing ones with GitHub's default grey, as GitHub does when labelling. */
export function ensureLabels(ctx: ForgeContext, repo: RepoRecord, names: string[]): LabelRecord[] {
  const result: LabelRecord[] = [];
  for (const name of names) {
    const trimmed = name.trim();
    if (!trimmed) continue;
    let found = labelByName(repo, trimmed);
    if (!found) {
      found = { id: ctx.store.nextId(), name: trimmed, color: 'ededed', description: null, default: false };
      repo.labels.push(found);
    }
    if (!result.includes(found)) result.push(found);
  }
  return result;
}

/** Body of the add/set routes: `{labels: [...]}`, a bare array, or `{labels: [{name}]}`. */
const issueLabelsBody = z.union([
  z.object({ labels: z.array(z.union([z.string(), z.object({ name: z.string() })])) }),
  z.array(z.union([z.string(), z.object({ name: z.string() })])),
  z.string(),
]);

function namesFrom(body: z.infer<typeof issueLabelsBody> | undefined): string[] {
  if (body === undefined) return [];
  if (typeof body === 'string') return [body];
  const list = Array.isArray(body) ? body : body.labels;
  return list.map((l) => (typeof l === 'string' ? l : l.name));
}

async function changeIssueLabels(ctx: ForgeContext, req: ApiRequest, mode: 'add' | 'set' | 'remove-all') {
  const repo = requireRepo(ctx, req, 'triage');
  const actor = requireActor(ctx, req);
  const record = requireIssue(ctx, req, repo);
  const names =
    mode === 'remove-all'
      ? []
      : namesFrom(req.body === undefined ? undefined : parseBody(issueLabelsBody, req.body, 'Label'));
  const wanted = ensureLabels(ctx, repo, names).map((l) => l.id);
  const before = [...record.labelIds];
  record.labelIds = mode === 'add' ? [...before, ...wanted.filter((id) => !before.includes(id))] : wanted;
  record.updatedAt = now(ctx);
  for (const id of record.labelIds.filter((l) => !before.includes(l))) {
    const found = repo.labels.find((l) => l.id === id);
    if (found)
      await emitIssueOrPull(ctx, repo, record, 'labeled', actor, { label: label(ctx.urls, repo, found) });
  }
  for (const id of before.filter((l) => !record.labelIds.includes(l))) {
    const found = repo.labels.find((l) => l.id === id);
    if (found)
      await emitIssueOrPull(ctx, repo, record, 'unlabeled', actor, { label: label(ctx.urls, repo, found) });
  }
  const body = record.labelIds
    .map((id) => repo.labels.find((l) => l.id === id))
    .filter((l): l is LabelRecord => l !== undefined)
    .map((l) => label(ctx.urls, repo, l));
  return mode === 'remove-all' ? { status: 204 } : { status: 200, body };
}

const labelBody = z.object({
  name: z.string().min(1),
  color: z.string().regex(colorPattern).optional(),
  description: z.string().nullable().optional(),
});

export const labelRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return paginate(
        ctx.urls,
        req,
        repo.labels.map((l) => label(ctx.urls, repo, l)),
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/labels',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const body = parseBody(labelBody, req.body, 'Label');
      if (labelByName(repo, body.name))
        throw validationFailed([{ resource: 'Label', field: 'name', code: 'already_exists' }]);
      const record: LabelRecord = {
        id: ctx.store.nextId(),
        name: body.name,
        color: (body.color ?? 'ededed').toLowerCase(),
        description: body.description ?? null,
        default: false,
      };
      repo.labels.push(record);
      emitLabel(ctx, repo, record, 'created', requireActor(ctx, req));
      return { status: 201, body: label(ctx.urls, repo, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/labels/{name}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const found = labelByName(repo, req.params.name ?? '');
      if (!found) throw notFound();
      return { status: 200, body: label(ctx.urls, repo, found) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/labels/{name}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const found = labelByName(repo, req.params.name ?? '');
      if (!found) throw notFound();
      const body = parseBody(
        labelBody.partial().extend({ new_name: z.string().min(1).optional() }),
        req.body,
        'Label',
      );
      const rename = body.new_name ?? body.name;
      const changes: Record<string, { from: string }> = {};
      if (rename !== undefined && rename !== found.name) changes.name = { from: found.name };
      if (body.color !== undefined && body.color.toLowerCase() !== found.color)
        changes.color = { from: found.color };
      if (body.description !== undefined && body.description !== found.description) {
        changes.description = { from: found.description ?? '' };
      }
      if (
        rename !== undefined &&
        rename.toLowerCase() !== found.name.toLowerCase() &&
        labelByName(repo, rename)
      ) {
        throw validationFailed([{ resource: 'Label', field: 'name', code: 'already_exists' }]);
      }
      if (rename !== undefined) found.name = rename;
      if (body.color !== undefined) found.color = body.color.toLowerCase();
      if (body.description !== undefined) found.description = body.description;
      emitLabel(ctx, repo, found, 'edited', requireActor(ctx, req), { changes });
      return { status: 200, body: label(ctx.urls, repo, found) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/labels/{name}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const found = labelByName(repo, req.params.name ?? '');
      if (!found) throw notFound();
      repo.labels = repo.labels.filter((l) => l !== found);
      for (const issue of ctx.store.state.issues.filter((i) => i.repoId === repo.id)) {
        issue.labelIds = issue.labelIds.filter((id) => id !== found.id);
      }
      emitLabel(ctx, repo, found, 'deleted', requireActor(ctx, req));
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const record = requireIssue(ctx, req, repo);
      const labels = record.labelIds
        .map((id) => repo.labels.find((l) => l.id === id))
        .filter((l): l is LabelRecord => l !== undefined)
        .map((l) => label(ctx.urls, repo, l));
      return paginate(ctx.urls, req, labels);
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle: (ctx, req) => changeIssueLabels(ctx, req, 'add'),
  },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle: (ctx, req) => changeIssueLabels(ctx, req, 'set'),
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels',
    handle: (ctx, req) => changeIssueLabels(ctx, req, 'remove-all'),
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'triage');
      const actor = requireActor(ctx, req);
      const record = requireIssue(ctx, req, repo);
      const found = labelByName(repo, req.params.name ?? '');
      if (!found || !record.labelIds.includes(found.id)) throw notFound();
      record.labelIds = record.labelIds.filter((id) => id !== found.id);
      record.updatedAt = now(ctx);
      await emitIssueOrPull(ctx, repo, record, 'unlabeled', actor, { label: label(ctx.urls, repo, found) });
      const rest = record.labelIds
        .map((id) => repo.labels.find((l) => l.id === id))
        .filter((l): l is LabelRecord => l !== undefined)
        .map((l) => label(ctx.urls, repo, l));
      return { status: 200, body: rest };
    },
  },
];
