/**
 * Webhook payloads embed the same objects as the REST API, but GitHub's published webhook
 * schemas allow a fixed set of keys per object. These adapters keep exactly those keys, so a
 * REST shape can be reused without leaking REST-only fields into payloads.
 */

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in source) out[key] = source[key];
  return out;
}

const repositoryKeys = [
  'id',
  'node_id',
  'name',
  'full_name',
  'private',
  'owner',
  'html_url',
  'description',
  'fork',
  'url',
  'forks_url',
  'keys_url',
  'collaborators_url',
  'teams_url',
  'hooks_url',
  'issue_events_url',
  'events_url',
  'assignees_url',
  'branches_url',
  'tags_url',
  'blobs_url',
  'git_tags_url',
  'git_refs_url',
  'trees_url',
  'statuses_url',
  'languages_url',
  'stargazers_url',
  'contributors_url',
  'subscribers_url',
  'subscription_url',
  'commits_url',
  'git_commits_url',
  'comments_url',
  'issue_comment_url',
  'contents_url',
  'compare_url',
  'merges_url',
  'archive_url',
  'downloads_url',
  'issues_url',
  'pulls_url',
  'milestones_url',
  'notifications_url',
  'labels_url',
  'releases_url',
  'deployments_url',
  'created_at',
  'updated_at',
  'pushed_at',
  'git_url',
  'ssh_url',
  'clone_url',
  'svn_url',
  'homepage',
  'size',
  'stargazers_count',
  'watchers_count',
  'language',
  'has_issues',
  'has_projects',
  'has_downloads',
  'has_wiki',
  'has_pages',
  'has_discussions',
  'forks_count',
  'mirror_url',
  'archived',
  'disabled',
  'open_issues_count',
  'license',
  'forks',
  'open_issues',
  'watchers',
  'default_branch',
  'is_template',
  'web_commit_signoff_required',
  'topics',
  'visibility',
  'allow_squash_merge',
  'allow_merge_commit',
  'allow_rebase_merge',
  'allow_auto_merge',
  'allow_forking',
  'allow_update_branch',
  'delete_branch_on_merge',
  'use_squash_pr_title_as_default',
  'squash_merge_commit_message',
  'squash_merge_commit_title',
  'merge_commit_message',
  'merge_commit_title',
] as const;

export function webhookRepository(rest: Record<string, unknown>): Record<string, unknown> {
  return { ...pick(rest, repositoryKeys), custom_properties: {} };
}

const issueKeys = [
  'url',
  'repository_url',
  'labels_url',
  'comments_url',
  'events_url',
  'html_url',
  'id',
  'node_id',
  'number',
  'title',
  'user',
  'labels',
  'state',
  'locked',
  'assignee',
  'assignees',
  'milestone',
  'comments',
  'created_at',
  'updated_at',
  'closed_at',
  'author_association',
  'active_lock_reason',
  'body',
  'reactions',
  'draft',
  'performed_via_github_app',
  'pull_request',
  'timeline_url',
  'state_reason',
] as const;

export function webhookIssue(rest: Record<string, unknown>): Record<string, unknown> {
  return pick(rest, issueKeys);
}

const pullKeys = [
  'url',
  'id',
  'node_id',
  'html_url',
  'diff_url',
  'patch_url',
  'issue_url',
  'number',
  'state',
  'locked',
  'title',
  'user',
  'body',
  'created_at',
  'updated_at',
  'closed_at',
  'merged_at',
  'merge_commit_sha',
  'assignee',
  'assignees',
  'requested_reviewers',
  'requested_teams',
  'labels',
  'milestone',
  'commits_url',
  'review_comments_url',
  'review_comment_url',
  'comments_url',
  'statuses_url',
  'head',
  'base',
  '_links',
  'author_association',
  'auto_merge',
  'active_lock_reason',
  'draft',
  'merged',
  'mergeable',
  'rebaseable',
  'mergeable_state',
  'merged_by',
  'comments',
  'review_comments',
  'maintainer_can_modify',
  'commits',
  'additions',
  'deletions',
  'changed_files',
] as const;

function webhookBranchEnd(end: Record<string, unknown>): Record<string, unknown> {
  const repo = end.repo as Record<string, unknown> | null;
  return { ...end, repo: repo ? webhookRepository(repo) : null };
}

export function webhookPullRequest(rest: Record<string, unknown>): Record<string, unknown> {
  const out = pick(rest, pullKeys);
  out.head = webhookBranchEnd(rest.head as Record<string, unknown>);
  out.base = webhookBranchEnd(rest.base as Record<string, unknown>);
  return out;
}

/** The pull request as embedded in `pull_request_review` events: no merge or count fields. */
export function webhookReviewedPullRequest(rest: Record<string, unknown>): Record<string, unknown> {
  const full = webhookPullRequest(rest);
  for (const key of [
    'merged',
    'mergeable',
    'rebaseable',
    'mergeable_state',
    'merged_by',
    'comments',
    'review_comments',
    'maintainer_can_modify',
    'commits',
    'additions',
    'deletions',
    'changed_files',
  ]) {
    delete full[key];
  }
  return full;
}

const organizationKeys = [
  'login',
  'id',
  'node_id',
  'url',
  'html_url',
  'repos_url',
  'events_url',
  'hooks_url',
  'issues_url',
  'members_url',
  'public_members_url',
  'avatar_url',
  'description',
] as const;

export function webhookOrganization(rest: Record<string, unknown>): Record<string, unknown> {
  return pick(rest, organizationKeys);
}

const releaseKeys = [
  'url',
  'assets_url',
  'upload_url',
  'html_url',
  'id',
  'node_id',
  'tag_name',
  'target_commitish',
  'name',
  'draft',
  'author',
  'prerelease',
  'created_at',
  'published_at',
  'assets',
  'tarball_url',
  'zipball_url',
  'body',
  'reactions',
] as const;

export function webhookRelease(rest: Record<string, unknown>): Record<string, unknown> {
  return pick(rest, releaseKeys);
}

const appKeys = [
  'id',
  'node_id',
  'slug',
  'owner',
  'name',
  'description',
  'external_url',
  'html_url',
  'created_at',
  'updated_at',
  'permissions',
  'events',
] as const;

export function webhookApp(rest: Record<string, unknown>): Record<string, unknown> {
  return pick(rest, appKeys);
}
