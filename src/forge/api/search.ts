/** `GET /search/issues`: GitHub's issue search over the repositories the caller can read. */

import { roleOn } from '../auth/access.js';
import type { ApiRequest, ForgeContext, Route } from '../forge-context.js';
import { validationFailed } from '../http/api-error.js';
import { paginate } from '../http/paginate.js';
import { matches, reposOf, type SearchableIssue, tokenize } from '../search/issue-query.js';
import { issue as issueShape } from '../shapes/issue.js';
import type { IssueRecord, RepoRecord } from '../state/model.js';
import { repoById } from '../state/queries.js';

function searchable(repo: RepoRecord, record: IssueRecord): SearchableIssue {
  const labelName = (id: number) => repo.labels.find((l) => l.id === id)?.name;
  return {
    repo: `${repo.ownerLogin}/${repo.name}`,
    kind: record.pull ? 'pr' : 'issue',
    state: record.state,
    merged: record.pull?.merged ?? false,
    draft: record.pull?.draft ?? false,
    locked: record.locked,
    title: record.title,
    body: record.body ?? '',
    author: record.userLogin,
    labels: record.labelIds.map(labelName).filter((n): n is string => n !== undefined),
    assignees: record.assignees,
    milestone: repo.milestones.find((m) => m.id === record.milestoneId)?.title ?? null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    closedAt: record.closedAt,
    mergedAt: record.pull?.mergedAt ?? null,
  };
}

function searchIssues(ctx: ForgeContext, req: ApiRequest) {
  const q = req.query.get('q');
  if (!q?.trim()) throw validationFailed([{ resource: 'Search', field: 'q', code: 'missing' }]);
  const terms = tokenize(q);
  const state = ctx.store.state;
  const wantedRepos = reposOf(terms);
  const visible = new Map<number, RepoRecord | null>();
  const readable = (repoId: number) => {
    if (!visible.has(repoId)) {
      const repo = repoById(state, repoId);
      visible.set(repoId, repo && roleOn(state, req.principal, repo) !== 'none' ? repo : null);
    }
    return visible.get(repoId) ?? null;
  };
  const found: { repo: RepoRecord; record: IssueRecord }[] = [];
  for (const record of state.issues) {
    const repo = readable(record.repoId);
    if (!repo) continue;
    if (wantedRepos.length > 0 && !wantedRepos.includes(`${repo.ownerLogin}/${repo.name}`.toLowerCase()))
      continue;
    if (matches(terms, searchable(repo, record))) found.push({ repo, record });
  }
  const sort = req.query.get('sort');
  const key = (r: IssueRecord) =>
    sort === 'updated'
      ? r.updatedAt
      : sort === 'comments'
        ? String(
            state.comments.filter((c) => c.repoId === r.repoId && c.issueNumber === r.number).length,
          ).padStart(9, '0')
        : r.createdAt;
  found.sort((a, b) => {
    const ka = key(a.record);
    const kb = key(b.record);
    return ka === kb ? a.record.id - b.record.id : ka < kb ? -1 : 1;
  });
  // Best match (no `sort`) lists the newest first, like `order=desc`.
  if ((req.query.get('order') ?? 'desc') === 'desc') found.reverse();
  // Search results carry a string body, unlike the issue routes (GitHub's description says so).
  const items = found.map(({ repo, record }) => ({
    ...issueShape(ctx.urls, state, repo, record),
    body: record.body ?? '',
    score: 1,
  }));
  return paginate(ctx.urls, req, items, (page) => ({
    total_count: items.length,
    incomplete_results: false,
    search_type: 'lexical',
    items: page,
  }));
}

export const searchRoutes: Route[] = [{ method: 'GET', path: '/search/issues', handle: searchIssues }];
