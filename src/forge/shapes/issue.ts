/** GitHub's issue-side shapes: label, milestone, issue, issue comment. */
import type { ForgeUrls } from '../forge-context.js';
import type {
  CommentRecord,
  ForgeState,
  IssueRecord,
  LabelRecord,
  MilestoneRecord,
  RepoRecord,
} from '../state/model.js';
import { accountOrThrow } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';
import { simpleUser } from './user.js';

const repoApi = (urls: ForgeUrls, repo: RepoRecord) => `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;
const repoWeb = (urls: ForgeUrls, repo: RepoRecord) => `${urls.web}/${repo.ownerLogin}/${repo.name}`;

export function label(urls: ForgeUrls, repo: RepoRecord, record: LabelRecord) {
  return {
    id: record.id,
    node_id: nodeId('Label', record.id),
    url: `${repoApi(urls, repo)}/labels/${encodeURIComponent(record.name)}`,
    name: record.name,
    color: record.color,
    default: record.default,
    description: record.description,
  };
}

export function milestone(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, record: MilestoneRecord) {
  const issues = state.issues.filter((i) => i.repoId === repo.id && i.milestoneId === record.id);
  return {
    url: `${repoApi(urls, repo)}/milestones/${record.number}`,
    html_url: `${repoWeb(urls, repo)}/milestone/${record.number}`,
    labels_url: `${repoApi(urls, repo)}/milestones/${record.number}/labels`,
    id: record.id,
    node_id: nodeId('Milestone', record.id),
    number: record.number,
    title: record.title,
    description: record.description,
    creator: simpleUser(urls, accountOrThrow(state, record.creatorLogin)),
    open_issues: issues.filter((i) => i.state === 'open').length,
    closed_issues: issues.filter((i) => i.state === 'closed').length,
    state: record.state,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    due_on: record.dueOn,
    closed_at: record.closedAt,
  };
}

export type AuthorAssociation = 'OWNER' | 'MEMBER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'NONE';

/** How an author relates to the repository, as GitHub labels comments and PRs. */
export function authorAssociation(state: ForgeState, repo: RepoRecord, login: string): AuthorAssociation {
  const same = (a: string) => a.toLowerCase() === login.toLowerCase();
  if (same(repo.ownerLogin)) return 'OWNER';
  const owner = state.accounts.find((a) => a.login === repo.ownerLogin);
  if (owner?.members?.some((m) => same(m.login))) return 'MEMBER';
  if (repo.collaborators.some((c) => same(c.login))) return 'COLLABORATOR';
  const merged = state.issues.some((i) => i.repoId === repo.id && i.pull?.merged && same(i.userLogin));
  return merged ? 'CONTRIBUTOR' : 'NONE';
}

export function reactions(url: string) {
  return {
    url: `${url}/reactions`,
    total_count: 0,
    '+1': 0,
    '-1': 0,
    laugh: 0,
    hooray: 0,
    confused: 0,
    heart: 0,
    rocket: 0,
    eyes: 0,
  };
}

export function issue(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, record: IssueRecord) {
  const api = `${repoApi(urls, repo)}/issues/${record.number}`;
  const assignees = record.assignees.map((login) => simpleUser(urls, accountOrThrow(state, login)));
  const ms =
    record.milestoneId === null ? undefined : repo.milestones.find((m) => m.id === record.milestoneId);
  const pull = record.pull;
  return {
    url: api,
    repository_url: repoApi(urls, repo),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${repoWeb(urls, repo)}/${pull ? 'pull' : 'issues'}/${record.number}`,
    id: record.id,
    node_id: nodeId(pull ? 'PullRequest' : 'Issue', record.id),
    number: record.number,
    title: record.title,
    user: simpleUser(urls, accountOrThrow(state, record.userLogin)),
    labels: record.labelIds
      .map((id) => repo.labels.find((l) => l.id === id))
      .filter((l): l is LabelRecord => l !== undefined)
      .map((l) => label(urls, repo, l)),
    state: record.state,
    locked: record.locked,
    assignee: assignees[0] ?? null,
    assignees,
    milestone: ms ? milestone(urls, state, repo, ms) : null,
    comments: state.comments.filter((c) => c.repoId === repo.id && c.issueNumber === record.number).length,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    closed_at: record.closedAt,
    author_association: authorAssociation(state, repo, record.userLogin),
    active_lock_reason: record.lockReason,
    body: record.body,
    reactions: reactions(api),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
    state_reason: record.stateReason,
    ...(pull
      ? {
          draft: pull.draft,
          pull_request: {
            url: `${repoApi(urls, repo)}/pulls/${record.number}`,
            html_url: `${repoWeb(urls, repo)}/pull/${record.number}`,
            diff_url: `${repoWeb(urls, repo)}/pull/${record.number}.diff`,
            patch_url: `${repoWeb(urls, repo)}/pull/${record.number}.patch`,
            merged_at: pull.mergedAt,
          },
        }
      : {}),
  };
}

export function issueComment(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, record: CommentRecord) {
  const api = `${repoApi(urls, repo)}/issues/comments/${record.id}`;
  const parent = state.issues.find((i) => i.repoId === repo.id && i.number === record.issueNumber);
  return {
    url: api,
    html_url: `${repoWeb(urls, repo)}/${parent?.pull ? 'pull' : 'issues'}/${record.issueNumber}#issuecomment-${record.id}`,
    issue_url: `${repoApi(urls, repo)}/issues/${record.issueNumber}`,
    id: record.id,
    node_id: nodeId('IssueComment', record.id),
    user: simpleUser(urls, accountOrThrow(state, record.userLogin)),
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    author_association: authorAssociation(state, repo, record.userLogin),
    body: record.body,
    reactions: reactions(api),
    performed_via_github_app: null,
  };
}
