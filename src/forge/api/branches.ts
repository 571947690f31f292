/** Branches (list, get with protection) and tags, read from the bare repository's refs. */
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { ApiError } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { commit } from '../shapes/commit.js';
import type { RepoRecord } from '../state/model.js';
import { nodeId } from '../state/timestamp.js';
import { requireRepo } from './access-guards.js';
import { protectionShape } from './branch-protection.js';

function branchUrls(ctx: ForgeContext, repo: RepoRecord, name: string) {
  const api = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const encoded = encodeURIComponent(name);
  return {
    self: `${api}/branches/${encoded}`,
    html: `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}/tree/${encoded}`,
    protection: `${api}/branches/${encoded}/protection`,
  };
}

async function listBranches(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const heads = await ctx.git(repo).refs('refs/heads/');
  const wanted = req.query.get('protected');
  const api = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const list = [...heads.entries()]
    .map(([ref, sha]) => {
      const name = ref.slice('refs/heads/'.length);
      return {
        name,
        commit: { sha, url: `${api}/commits/${sha}` },
        protected: repo.protections[name] !== undefined,
        protection_url: branchUrls(ctx, repo, name).protection,
      };
    })
    .filter((b) => wanted === null || String(b.protected) === wanted);
  return paginate(ctx.urls, req, list);
}

async function getBranch(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const name = req.params.branch ?? '';
  const git = ctx.git(repo);
  const sha = name.startsWith('-') ? null : await git.readRef(`refs/heads/${name}`);
  const info = sha ? await git.commit(sha) : null;
  if (!info) throw new ApiError(404, 'Branch not found');
  const urls = branchUrls(ctx, repo, name);
  const record = repo.protections[name];
  return {
    status: 200,
    body: {
      name,
      commit: commit(ctx.urls, ctx.store.state, repo, info),
      _links: { self: urls.self, html: urls.html },
      protected: record !== undefined,
      protection: record
        ? { enabled: true, ...protectionShape(ctx, repo, name, record) }
        : {
            enabled: false,
            required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
          },
      protection_url: urls.protection,
    },
  };
}

async function listTags(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const git = ctx.git(repo);
  const api = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}`;
  const tags = [];
  for (const ref of (await git.refs('refs/tags/')).keys()) {
    const name = ref.slice('refs/tags/'.length);
    // Annotated tags point to a tag object; the listing shows the commit it peels to.
    const sha = await git.resolveCommit(ref);
    if (!sha) continue;
    tags.push({
      name,
      commit: { sha, url: `${api}/commits/${sha}` },
      zipball_url: `${web}/archive/refs/tags/${encodeURIComponent(name)}.zip`,
      tarball_url: `${web}/archive/refs/tags/${encodeURIComponent(name)}.tar.gz`,
      node_id: nodeId('Ref', Number.parseInt(sha.slice(0, 8), 16)),
    });
  }
  // GitHub lists the newest names first.
  tags.sort((a, b) => b.name.localeCompare(a.name, 'en', { numeric: true }));
  return paginate(ctx.urls, req, tags);
}

export const branchRoutes: Route[] = [
  { method: 'GET', path: '/repos/{owner}/{repo}/branches', handle: listBranches },
  { method: 'GET', path: '/repos/{owner}/{repo}/branches/{branch+}', handle: getBranch },
  { method: 'GET', path: '/repos/{owner}/{repo}/tags', handle: listTags },
];
