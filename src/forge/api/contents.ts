/**
 * Repository contents: read a file or list a directory at any ref (JSON with base64 content, or
 * the raw bytes under GitHub's `raw` media type), and create, update or delete a file with a
 * commit on a branch — guarded by the blob `sha` the caller last saw, exactly as on GitHub.
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import type { BareRepository, GitIdentity, TreeEntry } from '../git/bare-repository.js';
import { applyRefUpdate } from '../git/ref-updates.js';
import { ApiError, missingField, notFound, validationFailed } from '../http/api-error.js';
import { parseBody } from '../http/parse-body.js';
import { gitCommit } from '../shapes/commit.js';
import { contentFile, contentItem, contentType, submoduleContent } from '../shapes/content.js';
import type { AccountRecord, RepoRecord } from '../state/model.js';
import { isoSeconds } from '../state/timestamp.js';
import { requireActor, requireRepo } from './access-guards.js';
import { noreplyEmail } from './repos.js';

/** `path` without leading or trailing slashes; `..` and empty segments are refused. */
export function cleanPath(raw: string): string {
  const path = raw.replace(/^\/+|\/+$/g, '');
  const bad = (segment: string) => segment === '..' || segment === '.' || segment === '';
  if (path !== '' && path.split('/').some(bad)) throw notFound();
  return path;
}

/** The commit a `ref` query names (branch, tag or sha); the default branch when absent. */
export async function resolveRef(git: BareRepository, repo: RepoRecord, ref: string | null): Promise<string> {
  const name = ref ?? repo.defaultBranch;
  // A leading dash would reach git as an option.
  const sha = name.startsWith('-') ? null : await git.resolveCommit(name);
  if (!sha) {
    if (ref === null) throw new ApiError(404, 'This repository is empty.');
    throw new ApiError(404, `No commit found for the ref ${name}`);
  }
  return sha;
}

/** Whether the Accept header asks for raw file bytes (`application/vnd.github[.v3].raw[+json]`). */
export function wantsRaw(accept: string | string[] | undefined): boolean {
  const value = Array.isArray(accept) ? accept.join(',') : (accept ?? '');
  return /application\/vnd\.github(\.v3)?\.raw(\+json)?\b/i.test(value);
}

async function getContents(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const git = ctx.git(repo);
  const path = cleanPath(req.params.path ?? '');
  const refName = req.query.get('ref');
  const commit = await resolveRef(git, repo, refName);
  const ref = refName ?? repo.defaultBranch;
  const entry = await git.entryAt(commit, path);
  if (!entry) throw notFound();
  const type = contentType(entry);
  if (type === 'dir') {
    const children = await git.listTree(path === '' ? commit : `${commit}:${path}`);
    const listing = children.map((child) =>
      contentItem(ctx.urls, repo, ref, {
        ...child,
        path: path === '' ? child.path : `${path}/${child.path}`,
      }),
    );
    return { status: 200, body: listing };
  }
  if (type === 'submodule') return { status: 200, body: submoduleContent(ctx.urls, repo, ref, entry) };
  const bytes = await git.readBlob(entry.sha);
  if (wantsRaw(req.headers.accept)) {
    return {
      status: 200,
      body: bytes,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'x-github-media-type': 'github.v3; param=raw',
        etag: `"${entry.sha}"`,
      },
    };
  }
  return { status: 200, body: contentFile(ctx.urls, repo, ref, entry, bytes) };
}

const identity = z.object({
  name: z.string().min(1),
  email: z.string().min(3),
  date: z.string().optional(),
});

const putBody = z.object({
  message: z.string(),
  content: z.string(),
  sha: z.string().optional(),
  branch: z.string().optional(),
  committer: identity.optional(),
  author: identity.optional(),
});

const deleteBody = putBody.omit({ content: true }).extend({ sha: z.string() });

function identities(
  actor: AccountRecord,
  body: { author?: GitIdentity | undefined; committer?: GitIdentity | undefined },
  stamp: string,
) {
  // GitHub: the committer defaults to the authenticated user, the author to the committer.
  const committer = body.committer ?? {
    name: actor.name ?? actor.login,
    email: actor.email ?? noreplyEmail(actor),
  };
  const author = body.author ?? committer;
  return {
    author: { ...author, date: author.date ?? stamp },
    committer: { ...committer, date: committer.date ?? stamp },
  };
}

const base64Pattern = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

/** Writes (or with `content: null` removes) one file with a commit on `branch`. */
async function commitFile(
  ctx: ForgeContext,
  req: ApiRequest,
  change: { path: string; content: Buffer | null; sha?: string | undefined; branch?: string | undefined },
  body: z.infer<typeof deleteBody> | z.infer<typeof putBody>,
) {
  const repo = requireRepo(ctx, req, 'write');
  const actor = requireActor(ctx, req);
  const git = ctx.git(repo);
  const branch = change.branch ?? repo.defaultBranch;
  const ref = `refs/heads/${branch}`;
  const head = branch.startsWith('-') ? null : await git.readRef(ref);
  const emptyRepo = (await git.refs('refs/heads/')).size === 0;
  if (!head && !(emptyRepo && change.content)) throw new ApiError(404, `Branch ${branch} not found`);
  const existing: TreeEntry | null = head ? await git.entryAt(head, change.path) : null;
  if (existing && existing.type !== 'blob') {
    throw validationFailed(
      [{ resource: 'Content', field: 'path', code: 'invalid' }],
      `${change.path} is a directory`,
    );
  }
  if (change.content === null && !existing) throw notFound();
  if (existing && change.sha === undefined) throw missingField('Content', 'sha');
  if (existing && change.sha !== undefined && change.sha !== existing.sha) {
    throw new ApiError(409, `${change.path} does not match ${change.sha}`);
  }
  const blob = change.content ? await git.writeBlob(change.content) : null;
  const baseTree = head ? ((await git.commit(head))?.tree ?? null) : null;
  const tree = await git.buildTree(baseTree, [
    { path: change.path, mode: existing?.mode ?? '100644', sha: blob },
  ]);
  const who = identities(actor, body, isoSeconds(ctx.now()));
  const sha = await git.commitTree({ tree, parents: head ? [head] : [], message: body.message, ...who });
  await applyRefUpdate(ctx, repo, { ref, before: head, after: sha }, actor);
  const info = await git.commit(sha);
  if (!info) throw new Error(`commit ${sha} vanished right after it was written`);
  let content: unknown = null;
  if (blob) {
    const entry = await git.entryAt(sha, change.path);
    if (entry) content = contentItem(ctx.urls, repo, branch, entry);
  }
  return {
    status: change.content && !existing ? 201 : 200,
    body: { content, commit: gitCommit(ctx.urls, repo, info) },
  };
}

export const contentRoutes: Route[] = [
  { method: 'GET', path: '/repos/{owner}/{repo}/contents/{path*}', handle: getContents },
  {
    method: 'PUT',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    handle(ctx, req) {
      const body = parseBody(putBody, req.body, 'Content');
      if (!base64Pattern.test(body.content)) {
        throw validationFailed(
          [{ resource: 'Content', field: 'content', code: 'invalid' }],
          'content is not valid Base64',
        );
      }
      const path = cleanPath(req.params.path ?? '');
      if (path === '') throw notFound();
      return commitFile(
        ctx,
        req,
        { path, content: Buffer.from(body.content, 'base64'), sha: body.sha, branch: body.branch },
        body,
      );
    },
  },
  {
    method: 'DELETE',
    path: '/repos/{owner}/{repo}/contents/{path+}',
    handle(ctx, req) {
      const body = parseBody(deleteBody, req.body, 'Content');
      const path = cleanPath(req.params.path ?? '');
      if (path === '') throw notFound();
      return commitFile(ctx, req, { path, content: null, sha: body.sha, branch: body.branch }, body);
    },
  },
];
