/**
 * The worker side of the bot: one queued webhook event in, the right handler run with an
 * installation client. Unknown events and actions are ignored.
 */
import type { Logger } from '../../src/log/logger.js';
import { repoConfigPath } from '../config/repo-config-schema.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { countRequests } from '../github/request-counter.js';
import { housekeepingEventName, onHousekeeping } from '../housekeeping/housekeeping-event.js';
import type { MergeRuntime } from '../merge/merge-runtime.js';
import { onMergeEvent } from '../merge/on-merge-event.js';
import type { QueuedEvent } from '../queue/queued-event.js';
import { onReleaseEvent } from '../release-flow/on-release-event.js';
import type { EventContext, IssuePayload, PullRequestPayload, UserPayload } from './event-context.js';
import { onCommentCreated } from './on-comment.js';
import { onConfigChange } from './on-config-change.js';
import { onIssueOpened } from './on-issue-opened.js';
import { onPullRequest } from './on-pull-request.js';
import { onReviewSubmitted } from './on-review.js';

export interface HandleEventDeps {
  auth(installationId: number): Promise<GitHubClient>;
  log: Logger;
  globalDryRun: boolean;
  /** The merge queue (bot/merge); without it, this process does not run merge queues. */
  merge?: MergeRuntime | undefined;
}

interface Payload {
  action?: string;
  installation?: { id: number };
  repository?: { name: string; owner: { login: string }; default_branch?: string };
  repositories?: { full_name: string }[];
  repositories_added?: { full_name: string }[];
  issue?: IssuePayload;
  pull_request?: PullRequestPayload;
  review?: { state: string };
  comment?: { body: string; user: UserPayload | null };
  ref?: string;
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
}

const prActions = new Set(['opened', 'reopened', 'synchronize']);

/** Resolves to the number of API requests the event cost. */
export async function handleEvent(event: QueuedEvent, deps: HandleEventDeps): Promise<number> {
  const payload = event.payload as Payload;
  const installationId = payload.installation?.id;
  if (installationId === undefined) return 0;
  const log = deps.log.child({
    deliveryId: event.deliveryId,
    event: `${event.name}.${payload.action ?? ''}`,
  });
  const octokit = await deps.auth(installationId);
  const requests = countRequests(octokit);
  const context = (repo: RepoRef): EventContext => ({
    octokit,
    repo,
    log,
    globalDryRun: deps.globalDryRun,
    installationId,
  });
  const repo = payload.repository && { owner: payload.repository.owner.login, repo: payload.repository.name };

  if (repo) {
    const ctx = context(repo);
    if (event.name === 'issues' && payload.action === 'opened' && payload.issue) {
      await onIssueOpened(ctx, payload.issue);
    } else if (event.name === 'pull_request' && prActions.has(payload.action ?? '') && payload.pull_request) {
      await onPullRequest(ctx, payload.pull_request, payload.action ?? '');
    } else if (
      event.name === 'pull_request_review' &&
      payload.action === 'submitted' &&
      payload.review &&
      payload.pull_request
    ) {
      await onReviewSubmitted(ctx, payload.review, payload.pull_request);
    } else if (
      event.name === 'issue_comment' &&
      payload.action === 'created' &&
      payload.comment &&
      payload.issue
    ) {
      await onCommentCreated(ctx, payload.comment, payload.issue);
    } else if (event.name === 'push' && touchesConfigOnDefaultBranch(payload)) {
      await onConfigChange(ctx);
    } else if (event.name === housekeepingEventName) {
      await onHousekeeping(ctx);
    }
    await onReleaseEvent(ctx, event.name, payload);
    if (deps.merge) await onMergeEvent(ctx, event, deps.merge);
  } else if (event.name === 'installation' && payload.action === 'created') {
    for (const target of reposOf(payload.repositories)) await onConfigChange(context(target));
  } else if (event.name === 'installation_repositories' && payload.action === 'added') {
    for (const target of reposOf(payload.repositories_added)) await onConfigChange(context(target));
  }
  log.info({ requests: requests.count, calls: requests.calls }, 'event handled');
  return requests.count;
}

function touchesConfigOnDefaultBranch(payload: Payload): boolean {
  const branch = payload.repository?.default_branch;
  if (!branch || payload.ref !== `refs/heads/${branch}`) return false;
  return (payload.commits ?? []).some((commit) =>
    [...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])].includes(repoConfigPath),
  );
}

function reposOf(list: { full_name: string }[] | undefined): RepoRef[] {
  return (list ?? []).map((r) => {
    const [owner = '', name = ''] = r.full_name.split('/');
    return { owner, repo: name };
  });
}
