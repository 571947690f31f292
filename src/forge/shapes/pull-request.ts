/** GitHub's `pull-request` shape (and the `pull-request-simple` subset used in lists). */
import type { ForgeUrls } from '../forge-context.js';
import type { OpenPull, PullFacts } from '../pulls/pull-facts.js';
import type { ForgeState, RepoRecord } from '../state/model.js';
import { accountByLogin, accountOrThrow, repoById } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';
import { issue } from './issue.js';
import { repository } from './repository.js';
import { simpleUser } from './user.js';

function branchEnd(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord | undefined,
  ref: string,
  sha: string,
  fallbackOwner: string,
) {
  const ownerLogin = repo?.ownerLogin ?? fallbackOwner;
  const owner = accountByLogin(state, ownerLogin);
  return {
    label: `${ownerLogin}:${ref}`,
    ref,
    sha,
    user: owner ? simpleUser(urls, owner) : null,
    repo: repo ? repository(urls, state, repo) : null,
  };
}

export function pullRequestSimple(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord,
  record: OpenPull,
  facts: Pick<PullFacts, 'baseSha' | 'headSha'>,
) {
  const asIssue = issue(urls, state, repo, record);
  const api = `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
  const web = `${urls.web}/${repo.ownerLogin}/${repo.name}`;
  const pull = record.pull;
  const self = `${api}/pulls/${record.number}`;
  const headRepo = repoById(state, pull.headRepoId);
  return {
    url: self,
    id: record.pullId ?? record.id,
    node_id: nodeId('PullRequest', record.pullId ?? record.id),
    html_url: `${web}/pull/${record.number}`,
    diff_url: `${web}/pull/${record.number}.diff`,
    patch_url: `${web}/pull/${record.number}.patch`,
    issue_url: asIssue.url,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: asIssue.comments_url,
    statuses_url: `${api}/statuses/${facts.headSha}`,
    number: record.number,
    state: record.state,
    locked: record.locked,
    title: record.title,
    user: asIssue.user,
    body: record.body,
    labels: asIssue.labels,
    milestone: asIssue.milestone,
    active_lock_reason: record.lockReason,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    assignee: asIssue.assignee,
    assignees: asIssue.assignees,
    requested_reviewers: [],
    requested_teams: [],
    head: branchEnd(urls, state, headRepo, pull.headRef, facts.headSha, repo.ownerLogin),
    base: branchEnd(urls, state, repo, pull.baseRef, facts.baseSha, repo.ownerLogin),
    _links: {
      self: { href: self },
      html: { href: `${web}/pull/${record.number}` },
      issue: { href: asIssue.url },
      comments: { href: asIssue.comments_url },
      review_comments: { href: `${self}/comments` },
      review_comment: { href: `${api}/pulls/comments{/number}` },
      commits: { href: `${self}/commits` },
      statuses: { href: `${api}/statuses/${facts.headSha}` },
    },
    author_association: asIssue.author_association,
    auto_merge: null,
    draft: pull.draft,
  };
}

export function pullRequest(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord,
  record: OpenPull,
  facts: PullFacts,
) {
  const pull = record.pull;
  return {
    ...pullRequestSimple(urls, state, repo, record, facts),
    merged: pull.merged,
    mergeable: facts.verdict.mergeable,
    rebaseable: facts.rebaseable,
    mergeable_state: facts.verdict.state,
    merged_by: pull.mergedByLogin ? simpleUser(urls, accountOrThrow(state, pull.mergedByLogin)) : null,
    comments: state.comments.filter((c) => c.repoId === repo.id && c.issueNumber === record.number).length,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}
