/** Commits: history (by ref and path), one commit with its files and stats, and comparisons. */
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import type { BareRepository } from '../git/bare-repository.js';
import { ApiError, notFound } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { commit, diffEntry } from '../shapes/commit.js';
import type { RepoRecord } from '../state/model.js';
import { requireRepo } from './access-guards.js';
import { cleanPath, resolveRef } from './contents.js';

/** What a commit changed against its first parent (or against nothing, for a root commit). */
async function filesOf(git: BareRepository, sha: string, parents: string[]) {
  return git.changedFiles(parents[0] ?? (await git.emptyTree()), sha);
}

async function listCommits(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const git = ctx.git(repo);
  if ((await git.refs('refs/heads/')).size === 0) throw new ApiError(409, 'Git Repository is empty.');
  const tip = await resolveRef(git, repo, req.query.get('sha'));
  const path = req.query.get('path');
  let log = await git.log(tip, path ? { path: cleanPath(path) } : {});
  const author = req.query.get('author')?.toLowerCase();
  const since = req.query.get('since');
  const until = req.query.get('until');
  log = log.filter(
    (c) =>
      (!author || c.author.email.toLowerCase() === author || c.author.name.toLowerCase() === author) &&
      (!since || c.committer.date >= since) &&
      (!until || c.committer.date <= until),
  );
  return paginate(
    ctx.urls,
    req,
    log.map((c) => commit(ctx.urls, ctx.store.state, repo, c)),
  );
}

async function getCommit(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const git = ctx.git(repo);
  const name = req.params.ref ?? '';
  const sha = name.startsWith('-') ? null : await git.resolveCommit(name);
  const info = sha ? await git.commit(sha) : null;
  if (!info) throw new ApiError(422, `No commit found for SHA: ${name}`);
  const files = await filesOf(git, info.sha, info.parents);
  return { status: 200, body: commit(ctx.urls, ctx.store.state, repo, info, files) };
}

/** `base...head` (or `base..head`); either side may be `owner:ref` naming this repository. */
function splitBasehead(repo: RepoRecord, basehead: string): [string, string] {
  const match = /^(.+?)\.{2,3}(.+)$/.exec(basehead);
  if (!match?.[1] || !match[2]) throw notFound();
  const local = (side: string) => {
    const colon = side.indexOf(':');
    if (colon < 0) return side;
    if (side.slice(0, colon).toLowerCase() !== repo.ownerLogin.toLowerCase()) throw notFound();
    return side.slice(colon + 1);
  };
  return [local(match[1]), local(match[2])];
}

async function compare(ctx: ForgeContext, req: ApiRequest) {
  const repo = requireRepo(ctx, req);
  const git = ctx.git(repo);
  const [baseName, headName] = splitBasehead(repo, req.params.basehead ?? '');
  const resolve = async (name: string) => (name.startsWith('-') ? null : git.resolveCommit(name));
  const base = await resolve(baseName);
  const head = await resolve(headName);
  if (!base || !head) throw notFound();
  const mergeBase = await git.mergeBase(base, head);
  if (!mergeBase) throw new ApiError(404, `No common ancestor between ${baseName} and ${headName}.`);
  const ahead = await git.log(head, { exclude: [base], reverse: true });
  const behindBy = (await git.log(base, { exclude: [head] })).length;
  const status =
    ahead.length === 0 && behindBy === 0
      ? 'identical'
      : behindBy === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged';
  const [baseInfo, mergeBaseInfo] = await Promise.all([git.commit(base), git.commit(mergeBase)]);
  if (!baseInfo || !mergeBaseInfo) throw notFound();
  const files = await git.changedFiles(mergeBase, head);
  const api = `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}`;
  const range = `${baseName}...${headName}`;
  const state = ctx.store.state;
  return {
    status: 200,
    body: {
      url: `${api}/compare/${range}`,
      html_url: `${web}/compare/${range}`,
      permalink_url: `${web}/compare/${repo.ownerLogin}:${base.slice(0, 7)}...${repo.ownerLogin}:${head.slice(0, 7)}`,
      diff_url: `${web}/compare/${range}.diff`,
      patch_url: `${web}/compare/${range}.patch`,
      base_commit: commit(ctx.urls, state, repo, baseInfo),
      merge_base_commit: commit(ctx.urls, state, repo, mergeBaseInfo),
      status,
      ahead_by: ahead.length,
      behind_by: behindBy,
      total_commits: ahead.length,
      commits: ahead.map((c) => commit(ctx.urls, state, repo, c)),
      files: files.map((f) => diffEntry(ctx.urls, repo, head, f)),
    },
  };
}

export const commitRoutes: Route[] = [
  { method: 'GET', path: '/repos/{owner}/{repo}/commits', handle: listCommits },
  // After the `/commits/{ref}/status`-style routes: `{ref+}` would swallow their suffixes.
  { method: 'GET', path: '/repos/{owner}/{repo}/commits/{ref+}', handle: getCommit },
  { method: 'GET', path: '/repos/{owner}/{repo}/compare/{basehead+}', handle: compare },
];
