/** GitHub's commit shapes: `commit` (REST), `git-commit` (git data), `diff-entry`, branches. */
import type { ForgeUrls } from '../forge-context.js';
import type { ChangedFile, CommitInfo } from '../git/bare-repository.js';
import type { ForgeState, RepoRecord } from '../state/model.js';

import { simpleUser } from './user.js';

const unsigned = { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };

/** The account behind a commit email: a no-reply address or an account's own email. */
export function accountForEmail(state: ForgeState, email: string) {
  const noreply = /^(\d+)\+([^@]+)@users\.noreply\.github\.com$/.exec(email);
  if (noreply) return state.accounts.find((a) => a.id === Number(noreply[1]));
  return state.accounts.find((a) => a.email !== null && a.email.toLowerCase() === email.toLowerCase());
}

const shaNode = (sha: string) => Buffer.from(`04:Commit${sha}`).toString('base64').replace(/=+$/, '');

export function gitCommit(urls: ForgeUrls, repo: RepoRecord, c: CommitInfo) {
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  return {
    sha: c.sha,
    node_id: shaNode(c.sha),
    url: `${api}/git/commits/${c.sha}`,
    html_url: `${urls.web}/${repo.ownerLogin}/${repo.name}/commit/${c.sha}`,
    author: c.author,
    committer: c.committer,
    tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
    message: c.message,
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api}/git/commits/${p}`,
      html_url: `${urls.web}/${repo.ownerLogin}/${repo.name}/commit/${p}`,
    })),
    verification: unsigned,
  };
}

export function commit(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord,
  c: CommitInfo,
  files?: ChangedFile[],
) {
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${urls.web}/${repo.ownerLogin}/${repo.name}`;
  const author = accountForEmail(state, c.author.email);
  const committer = accountForEmail(state, c.committer.email);
  return {
    url: `${api}/commits/${c.sha}`,
    sha: c.sha,
    node_id: shaNode(c.sha),
    html_url: `${web}/commit/${c.sha}`,
    comments_url: `${api}/commits/${c.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message,
      tree: { sha: c.tree, url: `${api}/git/trees/${c.tree}` },
      comment_count: 0,
      verification: unsigned,
    },
    author: author ? simpleUser(urls, author) : null,
    committer: committer ? simpleUser(urls, committer) : null,
    parents: c.parents.map((p) => ({ sha: p, url: `${api}/commits/${p}`, html_url: `${web}/commit/${p}` })),
    ...(files
      ? {
          stats: {
            additions: files.reduce((s, f) => s + f.additions, 0),
            deletions: files.reduce((s, f) => s + f.deletions, 0),
            total: files.reduce((s, f) => s + f.additions + f.deletions, 0),
          },
          files: files.map((f) => diffEntry(urls, repo, c.sha, f)),
        }
      : {}),
  };
}

export function diffEntry(urls: ForgeUrls, repo: RepoRecord, ref: string, f: ChangedFile) {
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${urls.web}/${repo.ownerLogin}/${repo.name}`;
  const path = f.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${web}/blob/${ref}/${path}`,
    raw_url: `${web}/raw/${ref}/${path}`,
    contents_url: `${api}/contents/${path}?ref=${ref}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
  };
}

export function shortBranch(
  urls: ForgeUrls,
  repo: RepoRecord,
  name: string,
  sha: string,
  isProtected: boolean,
) {
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  return {
    name,
    commit: { sha, url: `${api}/commits/${sha}` },
    protected: isProtected,
  };
}
