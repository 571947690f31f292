/**
 * The git data API — blobs, trees, commits and annotated tags — written with real git plumbing
 * (`hash-object -w`, an index built from the entries, `commit-tree`, `mktag`) into the bare
 * repository. Nothing here moves a ref: callers do that with the refs API, as on GitHub.
 */
import { z } from 'zod';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import type { TreeChange, TreeEntry } from '../git/bare-repository.js';
import { notFound, validationFailed } from '../http/api-error.js';
import { parseBody } from '../http/parse-body.js';
import { gitCommit } from '../shapes/commit.js';
import { wrappedBase64 } from '../shapes/content.js';
import type { RepoRecord } from '../state/model.js';
import { isoSeconds, nodeId } from '../state/timestamp.js';
import { requireActor, requireRepo } from './access-guards.js';
import { noreplyEmail } from './repos.js';

const shaPattern = /^[0-9a-f]{40}$/;
const api = (ctx: ForgeContext, repo: RepoRecord) => `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
const shaNode = (type: string, sha: string) => nodeId(type, Number.parseInt(sha.slice(0, 8), 16));

function invalid(resource: string, field: string, message: string) {
  return validationFailed([{ resource, field, code: 'invalid', message }], message);
}

/** The object `sha` names when it has the expected type; 404 otherwise (as GitHub answers). */
async function requireObject(ctx: ForgeContext, repo: RepoRecord, sha: string | undefined, type: string) {
  if (!sha || !shaPattern.test(sha) || (await ctx.git(repo).objectType(sha)) !== type) throw notFound();
  return sha;
}

function treeShape(ctx: ForgeContext, repo: RepoRecord, sha: string, entries: TreeEntry[]) {
  const base = api(ctx, repo);
  return {
    sha,
    url: `${base}/git/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size !== undefined ? { size: e.size } : {}),
      ...(e.type === 'commit' ? {} : { url: `${base}/git/${e.type}s/${e.sha}` }),
    })),
    truncated: false,
  };
}

async function tagShape(ctx: ForgeContext, repo: RepoRecord, sha: string) {
  const tag = await ctx.git(repo).readTag(sha);
  if (!tag) throw notFound();
  const base = api(ctx, repo);
  return {
    node_id: shaNode('Tag', sha),
    tag: tag.tag,
    sha,
    url: `${base}/git/tags/${sha}`,
    message: tag.message,
    tagger: tag.tagger,
    object: { sha: tag.object, type: tag.type, url: `${base}/git/${tag.type}s/${tag.object}` },
    verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
  };
}

const identity = z.object({ name: z.string().min(1), email: z.string().min(3), date: z.string().optional() });

const treeEntry = z.object({
  path: z.string().min(1),
  mode: z.enum(['100644', '100755', '040000', '160000', '120000']),
  type: z.enum(['blob', 'tree', 'commit']),
  sha: z.string().nullable().optional(),
  content: z.string().optional(),
});

async function createTree(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req, 'write');
  const body = parseBody(
    z.object({ tree: z.array(treeEntry), base_tree: z.string().optional() }),
    req.body,
    'Tree',
  );
  const git = ctx.git(repo);
  let baseTree: string | null = null;
  if (body.base_tree) {
    // GitHub accepts a tree or a commit as the base; both peel to a tree.
    baseTree = shaPattern.test(body.base_tree) ? await git.resolveTree(body.base_tree) : null;
    if (!baseTree) throw invalid('Tree', 'base_tree', 'base_tree is not a valid tree oid');
  }
  const changes: TreeChange[] = [];
  for (const entry of body.tree) {
    const path = entry.path.replace(/^\/+|\/+$/g, '');
    if (path.split('/').some((s) => s === '' || s === '.' || s === '..' || s === '.git')) {
      throw invalid('Tree', 'tree.path', `tree.path contains a malformed path component: ${entry.path}`);
    }
    if (entry.content !== undefined) {
      if (entry.type !== 'blob') throw invalid('Tree', 'tree.content', 'content is only allowed for blobs');
      changes.push({ path, mode: entry.mode, sha: await git.writeBlob(Buffer.from(entry.content, 'utf8')) });
      continue;
    }
    if (entry.sha === null) {
      changes.push({ path, mode: entry.mode, sha: null });
      continue;
    }
    const expected = entry.type;
    const actual = entry.sha && shaPattern.test(entry.sha) ? await git.objectType(entry.sha) : null;
    // Submodule entries name a commit of another repository, which need not exist here.
    if (expected !== 'commit' && actual !== expected) {
      throw invalid('Tree', 'tree.sha', `tree.sha ${entry.sha ?? ''} is not a valid ${expected}`);
    }
    changes.push({ path, mode: entry.mode, sha: entry.sha ?? null });
  }
  const sha = await git.buildTree(baseTree, changes);
  return { status: 201, body: treeShape(ctx, repo, sha, await git.listTree(sha)) };
}

export const gitDataRoutes: Route[] = [
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/blobs',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const body = parseBody(
        z.object({ content: z.string(), encoding: z.enum(['utf-8', 'utf8', 'base64']).optional() }),
        req.body,
        'Blob',
      );
      const bytes = Buffer.from(body.content, body.encoding === 'base64' ? 'base64' : 'utf8');
      const sha = await ctx.git(repo).writeBlob(bytes);
      return { status: 201, body: { sha, url: `${api(ctx, repo)}/git/blobs/${sha}` } };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sha = await requireObject(ctx, repo, req.params.file_sha, 'blob');
      const bytes = await ctx.git(repo).readBlob(sha);
      return {
        status: 200,
        body: {
          sha,
          node_id: shaNode('Blob', sha),
          size: bytes.length,
          url: `${api(ctx, repo)}/git/blobs/${sha}`,
          content: wrappedBase64(bytes),
          encoding: 'base64',
        },
      };
    },
  },
  { method: 'POST', path: '/repos/{owner}/{repo}/git/trees', handle: createTree },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/trees/{tree_sha+}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const git = ctx.git(repo);
      const name = req.params.tree_sha ?? '';
      const sha = name.startsWith('-') ? null : await git.resolveTree(name);
      if (!sha) throw notFound();
      const recursive =
        req.query.has('recursive') && !['0', 'false'].includes(req.query.get('recursive') ?? '');
      return { status: 200, body: treeShape(ctx, repo, sha, await git.listTree(sha, { recursive })) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/commits',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const body = parseBody(
        z.object({
          message: z.string(),
          tree: z.string(),
          parents: z.array(z.string()).optional(),
          author: identity.optional(),
          committer: identity.optional(),
        }),
        req.body,
        'Commit',
      );
      const git = ctx.git(repo);
      if (!shaPattern.test(body.tree) || (await git.objectType(body.tree)) !== 'tree') {
        throw invalid('Commit', 'tree', 'Tree SHA does not exist');
      }
      for (const parent of body.parents ?? []) {
        if (!shaPattern.test(parent) || (await git.objectType(parent)) !== 'commit') {
          throw invalid('Commit', 'parents', 'Parent SHA does not exist or is not a commit object');
        }
      }
      const stamp = isoSeconds(ctx.now());
      const committer = body.committer ?? {
        name: actor.name ?? actor.login,
        email: actor.email ?? noreplyEmail(actor),
      };
      const author = body.author ?? committer;
      const sha = await git.commitTree({
        tree: body.tree,
        parents: body.parents ?? [],
        message: body.message,
        author: { ...author, date: author.date ?? stamp },
        committer: { ...committer, date: committer.date ?? stamp },
      });
      const info = await git.commit(sha);
      if (!info) throw notFound();
      return { status: 201, body: gitCommit(ctx.urls, repo, info) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/commits/{commit_sha}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sha = await requireObject(ctx, repo, req.params.commit_sha, 'commit');
      const info = await ctx.git(repo).commit(sha);
      if (!info) throw notFound();
      return { status: 200, body: gitCommit(ctx.urls, repo, info) };
    },
  },
  {
    method: 'POST',
    path: '/repos/{owner}/{repo}/git/tags',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req, 'write');
      const actor = requireActor(ctx, req);
      const body = parseBody(
        z.object({
          tag: z.string().min(1),
          message: z.string(),
          object: z.string(),
          type: z.enum(['commit', 'tree', 'blob']),
          tagger: identity.optional(),
        }),
        req.body,
        'Tag',
      );
      const git = ctx.git(repo);
      if (!(await git.isValidRefName(`refs/tags/${body.tag}`)))
        throw invalid('Tag', 'tag', 'Tag name is invalid');
      if (!shaPattern.test(body.object) || (await git.objectType(body.object)) !== body.type) {
        throw invalid('Tag', 'object', 'Object does not exist');
      }
      const tagger = body.tagger ?? {
        name: actor.name ?? actor.login,
        email: actor.email ?? noreplyEmail(actor),
      };
      const sha = await git.createTag({
        tag: body.tag,
        object: body.object,
        type: body.type,
        message: body.message,
        tagger: { ...tagger, date: tagger.date ?? isoSeconds(ctx.now()) },
      });
      return { status: 201, body: await tagShape(ctx, repo, sha) };
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/git/tags/{tag_sha}',
    async handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      const sha = await requireObject(ctx, repo, req.params.tag_sha, 'tag');
      return { status: 200, body: await tagShape(ctx, repo, sha) };
    },
  },
];
