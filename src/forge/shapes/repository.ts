/** GitHub's repository shapes: `repository` (embedded, e.g. in pull requests) and `full-repository`. */
import type { ForgeUrls } from '../forge-context.js';
import type { ForgeState, RepoRecord, RepoRole } from '../state/model.js';
import { accountOrThrow, repoById } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';
import { simpleUser } from './user.js';

export interface RepositoryFacts {
  /** The caller's role, for the `permissions` block; omitted when unknown. */
  role?: RepoRole | 'none';
  sizeKb?: number;
}

export function permissionsBlock(role: RepoRole | 'none') {
  const at = (r: RepoRole[]) => r.includes(role as RepoRole);
  return {
    admin: at(['admin']),
    maintain: at(['admin', 'maintain']),
    push: at(['admin', 'maintain', 'write']),
    triage: at(['admin', 'maintain', 'write', 'triage']),
    pull: role !== 'none',
  };
}

export function repositoryUrls(urls: ForgeUrls, repo: RepoRecord) {
  const full = `${repo.ownerLogin}/${repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  return {
    html_url: `${urls.web}/${full}`,
    url: api,
    forks_url: `${api}/forks`,
    keys_url: `${api}/keys{/key_id}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    teams_url: `${api}/teams`,
    hooks_url: `${api}/hooks`,
    issue_events_url: `${api}/issues/events{/number}`,
    events_url: `${api}/events`,
    assignees_url: `${api}/assignees{/user}`,
    branches_url: `${api}/branches{/branch}`,
    tags_url: `${api}/tags`,
    blobs_url: `${api}/git/blobs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    trees_url: `${api}/git/trees{/sha}`,
    statuses_url: `${api}/statuses/{sha}`,
    languages_url: `${api}/languages`,
    stargazers_url: `${api}/stargazers`,
    contributors_url: `${api}/contributors`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    commits_url: `${api}/commits{/sha}`,
    git_commits_url: `${api}/git/commits{/sha}`,
    comments_url: `${api}/comments{/number}`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    contents_url: `${api}/contents/{+path}`,
    compare_url: `${api}/compare/{base}...{head}`,
    merges_url: `${api}/merges`,
    archive_url: `${api}/{archive_format}{/ref}`,
    downloads_url: `${api}/downloads`,
    issues_url: `${api}/issues{/number}`,
    pulls_url: `${api}/pulls{/number}`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    labels_url: `${api}/labels{/name}`,
    releases_url: `${api}/releases{/id}`,
    deployments_url: `${api}/deployments`,
    git_url: `${urls.web.replace(/^https?:/, 'git:')}/${full}.git`,
    ssh_url: `git@${new URL(urls.web).host}:${full}.git`,
    clone_url: `${urls.web}/${full}.git`,
    svn_url: `${urls.web}/${full}`,
  };
}

function openIssues(state: ForgeState, repo: RepoRecord): number {
  return state.issues.filter((i) => i.repoId === repo.id && i.state === 'open').length;
}

function forksOf(state: ForgeState, repo: RepoRecord): number {
  return state.repos.filter((r) => r.parentId === repo.id).length;
}

/** The `repository` schema: what GitHub embeds in pull requests and search results. */
export function repository(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord,
  facts: RepositoryFacts = {},
) {
  const owner = accountOrThrow(state, repo.ownerLogin);
  const open = openIssues(state, repo);
  const forks = forksOf(state, repo);
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${repo.ownerLogin}/${repo.name}`,
    private: repo.private,
    owner: simpleUser(urls, owner),
    description: repo.description,
    fork: repo.parentId !== null,
    ...repositoryUrls(urls, repo),
    homepage: repo.homepage,
    size: facts.sizeKb ?? 0,
    stargazers_count: 0,
    watchers_count: 0,
    language: null,
    has_issues: repo.hasIssues,
    has_projects: false,
    has_downloads: true,
    has_wiki: false,
    has_pages: false,
    has_discussions: false,
    forks_count: forks,
    mirror_url: null,
    archived: false,
    disabled: false,
    open_issues_count: open,
    license: null,
    allow_forking: true,
    is_template: false,
    web_commit_signoff_required: false,
    topics: [] as string[],
    visibility: repo.private ? 'private' : 'public',
    forks,
    open_issues: open,
    watchers: 0,
    default_branch: repo.defaultBranch,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    pushed_at: repo.pushedAt ?? repo.createdAt,
    ...(facts.role ? { permissions: permissionsBlock(facts.role) } : {}),
    allow_squash_merge: repo.allowSquashMerge,
    allow_merge_commit: repo.allowMergeCommit,
    allow_rebase_merge: repo.allowRebaseMerge,
    allow_auto_merge: false,
    delete_branch_on_merge: repo.deleteBranchOnMerge,
    allow_update_branch: true,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
  };
}

/** The `full-repository` schema: `GET /repos/{owner}/{repo}` and repository creation. */
export function fullRepository(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord,
  facts: RepositoryFacts = {},
) {
  const owner = accountOrThrow(state, repo.ownerLogin);
  const parent = repo.parentId === null ? undefined : repoById(state, repo.parentId);
  let source = parent;
  while (source?.parentId) source = repoById(state, source.parentId) ?? source;
  return {
    ...repository(urls, state, repo, facts),
    network_count: forksOf(state, source ?? repo),
    subscribers_count: 0,
    ...(owner.type === 'Organization' ? { organization: simpleUser(urls, owner) } : {}),
    ...(parent ? { parent: repository(urls, state, parent) } : {}),
    ...(source ? { source: repository(urls, state, source) } : {}),
  };
}
