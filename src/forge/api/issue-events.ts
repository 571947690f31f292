/**
 * Issue and PR timelines (`/issues/{n}/timeline`, `/issues/{n}/events`). The forge keeps the
 * label events, each with its actor and, for a GitHub App, the app it acted through: what a bot
 * reads to learn who added a label when it missed the `labeled` webhook.
 */
import type { ForgeContext, Route } from '../forge-context.js';
import { paginate } from '../http/paginate.js';
import { integration } from '../shapes/app.js';
import { simpleUser } from '../shapes/user.js';
import type { AccountRecord, IssueEventRecord, IssueRecord, RepoRecord } from '../state/model.js';
import { accountOrThrow } from '../state/queries.js';
import { isoSeconds, nodeId } from '../state/timestamp.js';
import { requireIssue, requireRepo } from './access-guards.js';

export function recordLabelEvent(
  ctx: ForgeContext,
  repo: RepoRecord,
  issue: IssueRecord,
  event: 'labeled' | 'unlabeled',
  actor: AccountRecord,
  label: { name: string; color: string },
): void {
  ctx.store.state.issueEvents.push({
    id: ctx.store.nextId(),
    repoId: repo.id,
    issueNumber: issue.number,
    event,
    actorLogin: actor.login,
    labelName: label.name,
    labelColor: label.color,
    createdAt: isoSeconds(ctx.now()),
  });
}

function eventShape(ctx: ForgeContext, repo: RepoRecord, record: IssueEventRecord) {
  const state = ctx.store.state;
  const actor = accountOrThrow(state, record.actorLogin);
  const app = actor.type === 'Bot' ? state.apps.find((a) => `${a.slug}[bot]` === actor.login) : undefined;
  return {
    id: record.id,
    node_id: nodeId(record.event === 'labeled' ? 'LabeledEvent' : 'UnlabeledEvent', record.id),
    url: `${ctx.urls.api}/repos/${repo.ownerLogin}/${repo.name}/issues/events/${record.id}`,
    actor: simpleUser(ctx.urls, actor),
    event: record.event,
    commit_id: null,
    commit_url: null,
    created_at: record.createdAt,
    performed_via_github_app: app ? integration(ctx.urls, state, app) : null,
    label: { name: record.labelName, color: record.labelColor },
  };
}

function eventsOf(ctx: ForgeContext, repo: RepoRecord, issue: IssueRecord) {
  return ctx.store.state.issueEvents
    .filter((e) => e.repoId === repo.id && e.issueNumber === issue.number)
    .map((e) => eventShape(ctx, repo, e));
}

export const issueEventRoutes: Route[] = [
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/timeline',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return paginate(ctx.urls, req, eventsOf(ctx, repo, requireIssue(ctx, req, repo)));
    },
  },
  {
    method: 'GET',
    path: '/repos/{owner}/{repo}/issues/{issue_number}/events',
    handle(ctx, req) {
      const repo = requireRepo(ctx, req);
      return paginate(ctx.urls, req, eventsOf(ctx, repo, requireIssue(ctx, req, repo)));
    },
  },
];
