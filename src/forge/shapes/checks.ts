/** Commit statuses, combined status, check runs and check suites. */
import type { ForgeUrls } from '../forge-context.js';
import type { CommitInfo } from '../git/bare-repository.js';
import type {
  CheckRunRecord,
  CheckSuiteRecord,
  ForgeState,
  RepoRecord,
  StatusRecord,
} from '../state/model.js';
import { accountOrThrow, appById } from '../state/queries.js';
import { nodeId } from '../state/timestamp.js';
import { integration } from './app.js';
import { repository } from './repository.js';
import { simpleUser } from './user.js';

const repoApi = (urls: ForgeUrls, repo: RepoRecord) => `${urls.api}/repos/${repo.ownerLogin}/${repo.name}`;

export function status(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, record: StatusRecord) {
  const creator = accountOrThrow(state, record.creatorLogin);
  return {
    url: `${repoApi(urls, repo)}/statuses/${record.sha}`,
    avatar_url: `${urls.web}/avatars/u/${creator.id}?v=4`,
    id: record.id,
    node_id: nodeId('StatusContext', record.id),
    state: record.state,
    description: record.description,
    target_url: record.targetUrl,
    context: record.context,
    created_at: record.createdAt,
    updated_at: record.updatedAt,
    creator: simpleUser(urls, creator),
  };
}

/** The latest status per context, newest first, as GitHub combines them. */
export function latestStatuses(state: ForgeState, repo: RepoRecord, sha: string): StatusRecord[] {
  const latest = new Map<string, StatusRecord>();
  for (const s of state.statuses
    .filter((x) => x.repoId === repo.id && x.sha === sha)
    .sort((a, b) => a.id - b.id)) {
    latest.set(s.context, s);
  }
  return [...latest.values()].sort((a, b) => b.id - a.id);
}

export function combinedState(statuses: StatusRecord[]): 'failure' | 'pending' | 'success' {
  if (statuses.some((s) => s.state === 'failure' || s.state === 'error')) return 'failure';
  if (statuses.length === 0 || statuses.some((s) => s.state === 'pending')) return 'pending';
  return 'success';
}

export function combinedStatus(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, sha: string) {
  const statuses = latestStatuses(state, repo, sha);
  return {
    state: combinedState(statuses),
    statuses: statuses.map((s) => status(urls, state, repo, s)),
    sha,
    total_count: statuses.length,
    repository: repository(urls, state, repo),
    commit_url: `${repoApi(urls, repo)}/commits/${sha}`,
    url: `${repoApi(urls, repo)}/commits/${sha}/status`,
  };
}

/** Open PRs of the repository whose head is `sha` (GitHub lists them on check runs and suites). */
export function pullsForSha(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, sha: string) {
  return state.issues
    .filter((i) => i.repoId === repo.id && i.pull && i.state === 'open' && i.pull.headSha === sha)
    .map((i) => {
      const pull = i.pull!;
      const head = state.repos.find((r) => r.id === pull.headRepoId) ?? repo;
      const mini = (r: RepoRecord) => ({ id: r.id, url: repoApi(urls, r), name: r.name });
      return {
        id: i.pullId ?? i.id,
        number: i.number,
        url: `${repoApi(urls, repo)}/pulls/${i.number}`,
        head: { ref: pull.headRef, sha: pull.headSha, repo: mini(head) },
        base: { ref: pull.baseRef, sha: pull.frozen?.baseSha ?? pull.headSha, repo: mini(repo) },
      };
    });
}

export function suiteStatus(runs: CheckRunRecord[]): {
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
} {
  if (runs.length === 0) return { status: 'queued', conclusion: null };
  if (runs.some((r) => r.status !== 'completed')) {
    return {
      status: runs.some((r) => r.status === 'in_progress') ? 'in_progress' : 'queued',
      conclusion: null,
    };
  }
  const order = [
    'action_required',
    'cancelled',
    'timed_out',
    'failure',
    'stale',
    'neutral',
    'skipped',
    'success',
  ];
  const worst = runs
    .map((r) => r.conclusion ?? 'neutral')
    .sort((a, b) => order.indexOf(a) - order.indexOf(b))[0];
  return {
    status: 'completed',
    conclusion:
      worst === 'skipped' || worst === 'neutral'
        ? runs.every((r) => r.conclusion === worst)
          ? worst
          : 'success'
        : (worst ?? null),
  };
}

/** The `simple-commit` GitHub embeds in check suites. */
export function simpleCommit(c: CommitInfo) {
  return {
    id: c.sha,
    tree_id: c.tree,
    message: c.message,
    timestamp: c.committer.date,
    author: { name: c.author.name, email: c.author.email },
    committer: { name: c.committer.name, email: c.committer.email },
  };
}

export function checkSuite(
  urls: ForgeUrls,
  state: ForgeState,
  repo: RepoRecord,
  suite: CheckSuiteRecord,
  headCommit: CommitInfo | null,
) {
  const runs = state.checkRuns.filter((r) => r.suiteId === suite.id);
  const app = appById(state, suite.appId);
  const { status: suiteState, conclusion } = suiteStatus(runs);
  return {
    id: suite.id,
    node_id: nodeId('CheckSuite', suite.id),
    head_branch: suite.headBranch,
    head_sha: suite.headSha,
    status: suiteState,
    conclusion,
    url: `${repoApi(urls, repo)}/check-suites/${suite.id}`,
    before: suite.before,
    after: suite.after,
    pull_requests: pullsForSha(urls, state, repo, suite.headSha),
    app: app ? integration(urls, state, app) : null,
    repository: repository(urls, state, repo),
    created_at: suite.createdAt,
    updated_at: suite.updatedAt,
    head_commit: headCommit ? simpleCommit(headCommit) : null,
    latest_check_runs_count: runs.length,
    check_runs_url: `${repoApi(urls, repo)}/check-suites/${suite.id}/check-runs`,
    rerequestable: false,
    runs_rerequestable: false,
  };
}

export function checkRun(urls: ForgeUrls, state: ForgeState, repo: RepoRecord, run: CheckRunRecord) {
  const app = appById(state, run.appId);
  const url = `${repoApi(urls, repo)}/check-runs/${run.id}`;
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.externalId ?? '',
    url,
    html_url: `${urls.web}/${repo.ownerLogin}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${urls.web}/${repo.ownerLogin}/${repo.name}/runs/${run.id}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: app ? integration(urls, state, app) : null,
    pull_requests: pullsForSha(urls, state, repo, run.headSha),
  };
}
