/**
 * Builds webhook payloads from state records and hands them to the event sink. One function per
 * event family; each adds `repository`, `organization` (for org repositories) and `sender` the
 * way GitHub does.
 */
import { recordLabelEvent } from '../api/issue-events.js';
import type { ForgeContext } from '../forge-context.js';
import { type OpenPull, pullFacts } from '../pulls/pull-facts.js';
import { issueComment, issue as issueShape } from '../shapes/issue.js';
import { pullRequest } from '../shapes/pull-request.js';
import { repository } from '../shapes/repository.js';
import { organizationSimple, simpleUser } from '../shapes/user.js';
import type { AccountRecord, CommentRecord, IssueRecord, RepoRecord } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';
import {
  webhookIssue,
  webhookOrganization,
  webhookPullRequest,
  webhookRepository,
} from './webhook-shapes.js';

export function envelope(
  ctx: ForgeContext,
  repo: RepoRecord,
  sender: AccountRecord,
): Record<string, unknown> {
  const state = ctx.store.state;
  const owner = accountByLogin(state, repo.ownerLogin);
  return {
    repository: webhookRepository(repository(ctx.urls, state, repo) as unknown as Record<string, unknown>),
    ...(owner?.type === 'Organization'
      ? {
          organization: webhookOrganization(
            organizationSimple(ctx.urls, owner) as unknown as Record<string, unknown>,
          ),
        }
      : {}),
    sender: simpleUser(ctx.urls, sender),
  };
}

export async function webhookPull(ctx: ForgeContext, repo: RepoRecord, pull: OpenPull) {
  const facts = await pullFacts(ctx, repo, pull);
  return webhookPullRequest(
    pullRequest(ctx.urls, ctx.store.state, repo, pull, facts) as unknown as Record<string, unknown>,
  );
}

export async function emitPullRequest(
  ctx: ForgeContext,
  repo: RepoRecord,
  pull: OpenPull,
  action: string,
  sender: AccountRecord,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const payload = {
    action,
    number: pull.number,
    ...extra,
    pull_request: await webhookPull(ctx, repo, pull),
    ...envelope(ctx, repo, sender),
  };
  ctx.events.emit('pull_request', payload, repo);
}

export function webhookIssueOf(ctx: ForgeContext, repo: RepoRecord, record: IssueRecord) {
  return webhookIssue(
    issueShape(ctx.urls, ctx.store.state, repo, record) as unknown as Record<string, unknown>,
  );
}

/** `issues` for issues, `pull_request` for pull requests: GitHub splits label and state events this way. */
export async function emitIssueOrPull(
  ctx: ForgeContext,
  repo: RepoRecord,
  record: IssueRecord,
  action: string,
  sender: AccountRecord,
  extra: Record<string, unknown> = {},
): Promise<void> {
  // Every label change of the API passes here, so this is where the timeline records it.
  const label = extra.label as { name: string; color: string } | undefined;
  if ((action === 'labeled' || action === 'unlabeled') && label)
    recordLabelEvent(ctx, repo, record, action, sender, label);
  if (record.pull) {
    await emitPullRequest(ctx, repo, record as OpenPull, action, sender, extra);
    return;
  }
  ctx.events.emit(
    'issues',
    { action, issue: webhookIssueOf(ctx, repo, record), ...extra, ...envelope(ctx, repo, sender) },
    repo,
  );
}

export function emitIssueComment(
  ctx: ForgeContext,
  repo: RepoRecord,
  record: IssueRecord,
  comment: CommentRecord,
  action: 'created' | 'edited' | 'deleted',
  sender: AccountRecord,
  extra: Record<string, unknown> = {},
): void {
  ctx.events.emit(
    'issue_comment',
    {
      action,
      ...extra,
      issue: webhookIssueOf(ctx, repo, record),
      comment: issueComment(ctx.urls, ctx.store.state, repo, comment),
      ...envelope(ctx, repo, sender),
    },
    repo,
  );
}
