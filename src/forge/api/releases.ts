/**
 * Releases: create (making the tag at `target_commitish` when it does not exist yet, as GitHub
 * does when the release is published), read by id, by tag or the latest, update, delete, and the
 * `release` webhooks (created, published, released, prereleased, edited, deleted).
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { applyRefUpdate } from '../git/ref-updates.js';
import { notFound, validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { intParam, parseBody } from '../http/parse-body.js';
import { release, webhookRelease } from '../shapes/release.js';
import { type AccountRecord, permissionRank, type ReleaseRecord, type RepoRecord } from '../state/model.js';
import { accountOrThrow } from '../state/queries.js';
import { envelope } from '../webhooks/emit-events.js';
import { now, requireActor, requireRepo, roleOf } from './access-guards.js';

function shape(ctx: ForgeContext, repo: RepoRecord, record: ReleaseRecord) {
  return release(ctx.urls, repo, record, accountOrThrow(ctx.store.state, record.authorLogin));
}

function emitRelease(
  ctx: ForgeContext,
  repo: RepoRecord,
  record: ReleaseRecord,
  action: string,
  sender: AccountRecord,
  extra: Record<string, unknown> = {},
) {
  ctx.events.emit(
    'release',
    { action, ...extra, release: webhookRelease(shape(ctx, repo, record)), ...envelope(ctx, repo, sender) },
    repo,
  );
}

/** Drafts are visible to those who can push only, as on GitHub. */
function visibleReleases(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): ReleaseRecord[] {
  const writer = permissionRank(roleOf(ctx, req, repo)) >= permissionRank('write');
  return ctx.store.state.releases.filter((r) => r.repoId === repo.id && (writer || !r.draft));
}

function requireRelease(ctx: ForgeContext, req: ApiRequest, repo: RepoRecord): ReleaseRecord {
  const id = intParam(req.params, 'release_id');
  const found = visibleReleases(ctx, req, repo).find((r) => r.id === id);
  if (!found) throw notFound();
  return found;
}

/** Creates `refs/tags/<tag>` at the target when the tag does not exist yet. */
async function ensureTag(ctx: ForgeContext, repo: RepoRecord, record: ReleaseRecord, actor: AccountRecord) {
  const git = ctx.git(repo);
  const ref = `refs/tags/${record.tagName}`;
  if (await git.readRef(ref)) return;
  const target = record.targetCommitish.startsWith('-')
    ? null
    : await git.resolveCommit(record.targetCommitish);
  if (!target) {
    throw validationFailed([{ resource: 'Release', field: 'target_commitish', code: 'invalid' }]);
  }
  await applyRefUpdate(ctx, repo, { ref, before: null, after: target }, actor);
}

/** The actions GitHub sends when a release becomes public. */
function emitPublication(ctx: ForgeContext, repo: RepoRecord, record: ReleaseRecord, actor: AccountRecord) {
  emitRelease(ctx, repo, record, 'published', actor);
  emitRelease(ctx, repo, record, record.prerelease ? 'prereleased' : 'released', actor);
}

const fields = {
  tag_name: z.string().min(1),
  target_commitish: z.string().optional(),
  name: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  draft: z.boolean().optional(),
  prerelease: z.boolean().optional(),
  make_latest: z.enum(['true', 'false', 'legacy']).optional(),
  generate_release_notes: z.boolean().optional(),
};

function latestOf(list: ReleaseRecord[]): ReleaseRecord | undefined {
  return list
    .filter((r) => !r.draft && !r.prerelease)
    .sort((a, b) => (b.createdAt === a.createdAt ? b.id - a.id : b.createdAt < a.createdAt ? -1 : 1))[0];
}

export const releaseRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const list = [...visibleReleases(ctx, req, repo)].sort((a, b) => b.id - a.id);
      return paginate(
        ctx.urls,
        req,
        list.map((r) => shape(ctx, repo, r)),
      );
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/releases',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const body = parseBody(z.object(fields), req.body, 'Release');
      if (ctx.store.state.releases.some((r) => r.repoId === repo.id && r.tagName === body.tag_name)) {
        throw validationFailed([{ resource: 'Release', field: 'tag_name', code: 'already_exists' }]);
      }
      if (!(await ctx.git(repo).isValidRefName(`refs/tags/${body.tag_name}`))) {
        throw validationFailed([{ resource: 'Release', field: 'tag_name', code: 'invalid' }]);
      }
      const stamp = now(ctx);
      const record: ReleaseRecord = {
        id: ctx.store.nextId(),
        repoId: repo.id,
        tagName: body.tag_name,
        targetCommitish: body.target_commitish ?? repo.defaultBranch,
        name: body.name ?? null,
        body: body.body ?? null,
        draft: body.draft ?? false,
        prerelease: body.prerelease ?? false,
        authorLogin: actor.login,
        createdAt: stamp,
        publishedAt: body.draft ? null : stamp,
        updatedAt: stamp,
      };
      if (!record.draft) await ensureTag(ctx, repo, record, actor);
      ctx.store.state.releases.push(record);
      emitRelease(ctx, repo, record, 'created', actor);
      if (!record.draft) emitPublication(ctx, repo, record, actor);
      return { status: 201, body: shape(ctx, repo, record) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/latest',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const latest = latestOf(visibleReleases(ctx, req, repo));
      if (!latest) throw notFound();
      return { status: 200, body: shape(ctx, repo, latest) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/tags/{tag+}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const found = visibleReleases(ctx, req, repo).find((r) => r.tagName === req.params.tag && !r.draft);
      if (!found) throw notFound();
      return { status: 200, body: shape(ctx, repo, found) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/releases/{release_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return { status: 200, body: shape(ctx, repo, requireRelease(ctx, req, repo)) };
    },
  },
  {
    method: 'PATCH',
    path: '/repos/{owner}/{repo}/releases/{release_id}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const record = requireRelease(ctx, req, repo);
      const body = parseBody(
        z.object({ ...fields, tag_name: fields.tag_name.optional() }),
        req.body,
        'Release',
      );
      if (
        body.tag_name !== undefined &&
        body.tag_name !== record.tagName &&
        ctx.store.state.releases.some((r) => r.repoId === repo.id && r.tagName === body.tag_name)
      ) {
        throw validationFailed([{ resource: 'Release', field: 'tag_name', code: 'already_exists' }]);
      }
      const changes: Record<string, { from: string }> = {};
      if (body.name !== undefined && body.name !== record.name) changes.name = { from: record.name ?? '' };
      if (body.body !== undefined && body.body !== record.body) changes.body = { from: record.body ?? '' };
      const wasDraft = record.draft;
      const wasPrerelease = record.prerelease;
      if (body.tag_name !== undefined) record.tagName = body.tag_name;
      if (body.target_commitish !== undefined) record.targetCommitish = body.target_commitish;
      if (body.name !== undefined) record.name = body.name;
      if (body.body !== undefined) record.body = body.body;
      if (body.draft !== undefined) record.draft = body.draft;
      if (body.prerelease !== undefined) record.prerelease = body.prerelease;
      record.updatedAt = now(ctx);
      if (!record.draft) await ensureTag(ctx, repo, record, actor);
      if (Object.keys(changes).length > 0 || wasDraft === record.draft) {
        emitRelease(ctx, repo, record, 'edited', actor, { changes });
      }
      if (wasDraft && !record.draft) {
        record.publishedAt = now(ctx);
        emitPublication(ctx, repo, record, actor);
      } else if (!wasDraft && record.draft) {
        record.publishedAt = null;
        emitRelease(ctx, repo, record, 'unpublished', actor);
      } else if (!record.draft && wasPrerelease !== record.prerelease) {
        emitRelease(ctx, repo, record, record.prerelease ? 'prereleased' : 'released', actor);
      }
      return { status: 200, body: shape(ctx, repo, record) };
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/releases/{release_id}',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const record = requireRelease(ctx, req, repo);
      ctx.store.state.releases = ctx.store.state.releases.filter((r) => r !== record);
      // The tag stays, as on GitHub: deleting a release never deletes its tag.
      emitRelease(ctx, repo, record, 'deleted', actor);
      return { status: 204 };
    },
  },
];
