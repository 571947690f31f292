/**
 * The release flow of the bot, from three kinds of events:
 *
 * 1. `issue_comment.created` with `/release ...` by a writer: finish any accepted-but-untagged
 *    release first (so the plan starts from the right tag), then open "Prepare release vX.Y.Z".
 * 2. `pull_request.closed` of a merged "Prepare release" PR: tag the merge commit, publish the
 *    release (and, for a new line, create its `vX.Y` branch; after a patch, open the merge-back
 *    into the newest line). Of a merged merge-back (`v2.11 → v3.6`): open the next hop of
 *    the cascade (`v3.6 → main`), as Traefik ships patches on several lines the same day.
 * 3. `push` to the default branch or a release branch: the sweep. A merged release PR whose
 *    publish failed or whose webhook was lost is finished here.
 *
 * Decisions are the release engine's pure plan and ./decide-release-request.ts; this module
 * only gathers facts, carries the plan out and reports, every outcome on the issue or PR.
 *
 * Nothing here pushes to a branch: release branches are only ever the head of merge-back PRs,
 * which the merge queue merges as they are (never rebased, never force-pushed).
 */
import type { AppliedAction } from '../../release/apply/apply-actions.js';
import {
  continueMergeBack,
  findUnfinishedReleasesIn,
  prepareRelease,
  publishReleases,
} from '../../release/pipeline.js';
import type { MergeBackLabels } from '../../release/plan/merge-back.js';
import { isReleaseLineBranch } from '../../release/version/version.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { EventContext, UserPayload } from '../handlers/event-context.js';
import { isBot } from '../handlers/event-context.js';
import { configOrReport, dryRunFor } from '../handlers/repo-config-gate.js';
import { decideReleaseRequest, permissionRefusal } from './decide-release-request.js';
import { parseReleaseComment } from './release-comment.js';
import { transientFailure } from './release-failure.js';
import {
  mergeBackContinuedReply,
  mergeBackFailedReply,
  preparedReply,
  prepareFailedReply,
  publishedReply,
  publishFailedReply,
} from './release-replies.js';
import { type ReleaseTarget, releaseTarget } from './release-target.js';

interface ReleaseEventPayload {
  action?: string;
  repository?: { default_branch?: string };
  comment?: { body: string; user: UserPayload | null };
  issue?: { number: number };
  pull_request?: {
    number: number;
    title: string;
    merged?: boolean;
    merge_commit_sha?: string | null;
    head: { ref: string; repo?: { full_name?: string } | null };
    base?: { ref: string; repo?: { full_name?: string } | null };
  };
  ref?: string;
}

/** Called for every event of a repository; events the release flow does not use cost nothing. */
export async function onReleaseEvent(context: EventContext, name: string, raw: unknown): Promise<void> {
  const payload = raw as ReleaseEventPayload;
  if (name === 'issue_comment' && payload.action === 'created' && payload.comment && payload.issue) {
    await prepareOnCommand(context, payload.comment, payload.issue.number);
  } else if (name === 'pull_request' && payload.action === 'closed' && payload.pull_request) {
    const tag = releaseTagOf(payload.pull_request);
    if (tag !== undefined) await publishOnMerge(context, tag, payload.pull_request.number);
    const mergeBack = mergedMergeBackOf(payload.pull_request);
    if (mergeBack !== undefined) await continueCascade(context, mergeBack);
  } else if (name === 'push' && isReleaseBranchPush(payload)) {
    await sweep(context);
  }
}

/** The tag a merged "Prepare release" PR (as `prepare` opens them) asks for, else undefined. */
export function releaseTagOf(pr: NonNullable<ReleaseEventPayload['pull_request']>): string | undefined {
  if (!pr.merged || !pr.merge_commit_sha || !pr.head.ref.startsWith('release/')) return undefined;
  return /^Prepare release (v\S+)$/.exec(pr.title.trim())?.[1];
}

/** A merged PR from a release branch into another branch of the same repository, else undefined. */
export function mergedMergeBackOf(
  pr: NonNullable<ReleaseEventPayload['pull_request']>,
): { number: number; head: string; base: string } | undefined {
  if (!pr.merged || !pr.base || !isReleaseLineBranch(pr.head.ref)) return undefined;
  const headRepo = pr.head.repo?.full_name;
  // A fork's `v3.6` branch is not the release branch.
  if (headRepo !== undefined && headRepo !== pr.base.repo?.full_name) return undefined;
  return { number: pr.number, head: pr.head.ref, base: pr.base.ref };
}

/** The merge-back labels, with the repository's own names for the queue's markers. */
export function mergeBackLabelsOf(config: RepoConfig): MergeBackLabels {
  const { markers } = config.merge;
  return {
    ready: markers.needMerge,
    lightReview: markers.lightReview,
    method: `${markers.mergeMethodPrefix}ff`,
  };
}

const changelogStyleOf = (config: RepoConfig) => config.release.changelog;

function isReleaseBranchPush(payload: ReleaseEventPayload): boolean {
  const branch = payload.ref?.startsWith('refs/heads/') ? payload.ref.slice('refs/heads/'.length) : undefined;
  if (branch === undefined) return false;
  return branch === payload.repository?.default_branch || isReleaseLineBranch(branch);
}

async function prepareOnCommand(
  context: EventContext,
  comment: { body: string; user: UserPayload | null },
  issue: number,
): Promise<void> {
  const parsed = parseReleaseComment(comment.body);
  if (parsed === undefined || !comment.user || isBot(comment.user)) return;
  const config = await configOrReport(context);
  if (!config) return;
  const dryRun = dryRunFor(context, config);
  const { octokit, repo } = context;
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
    ...repo,
    username: comment.user.login,
  });
  const refusal = permissionRefusal(comment.user.login, data.permission);
  if (refusal !== undefined) {
    await reply(context, issue, refusal, dryRun);
    return;
  }
  // From here on every failure is answered on the issue: a maintainer asked for a release.
  try {
    const target = releaseTarget(octokit, repo);
    const [defaultBranch, branches] = await Promise.all([
      target.source.defaultBranch(),
      target.source.listBranches(),
    ]);
    const decision = decideReleaseRequest(parsed, {
      author: comment.user.login,
      permission: data.permission,
      defaultBranch,
      branches,
    });
    if (decision.kind === 'refuse') {
      await reply(context, issue, decision.reply, dryRun);
      return;
    }
    await finishUnfinished(context, target, dryRun, mergeBackLabelsOf(config));
    const { plan, applied } = await prepareRelease(target.source, target.forge, {
      branch: decision.branch,
      bump: decision.bump,
      codename: decision.codename,
      changelogStyle: changelogStyleOf(config),
      mergeBackLabels: mergeBackLabelsOf(config),
      dryRun,
    });
    logApplied(context, applied, dryRun);
    const pullRequest = dryRun ? undefined : await openPullRequestNumber(target, plan.pullRequest.head);
    await reply(context, issue, preparedReply(plan, pullRequest, applied), dryRun);
  } catch (error) {
    const transient = transientFailure(error);
    if (transient !== undefined) throw transient;
    context.log.warn({ err: error, issue }, 'release not prepared');
    await reply(context, issue, prepareFailedReply(error), dryRun);
  }
}

async function publishOnMerge(context: EventContext, tag: string, pullRequest: number): Promise<void> {
  const config = await configOrReport(context);
  if (!config) return;
  await publishOne(
    context,
    releaseTarget(context.octokit, context.repo),
    tag,
    pullRequest,
    dryRunFor(context, config),
    mergeBackLabelsOf(config),
  );
}

async function sweep(context: EventContext): Promise<void> {
  const config = await configOrReport(context);
  if (!config) return;
  await finishUnfinished(
    context,
    releaseTarget(context.octokit, context.repo),
    dryRunFor(context, config),
    mergeBackLabelsOf(config),
  );
}

/** After a merge-back is merged, opens the next hop, and says so (or why not) on the merged PR. */
async function continueCascade(
  context: EventContext,
  merged: { number: number; head: string; base: string },
): Promise<void> {
  const config = await configOrReport(context);
  if (!config) return;
  const dryRun = dryRunFor(context, config);
  const target = releaseTarget(context.octokit, context.repo);
  try {
    const applied = await continueMergeBack(target.source, target.forge, merged, {
      dryRun,
      mergeBackLabels: mergeBackLabelsOf(config),
    });
    logApplied(context, applied, dryRun);
    const opened = applied.find((a) => a.action.kind === 'open-pull-request');
    if (opened === undefined || opened.action.kind !== 'open-pull-request') return;
    // Already open (a redelivered webhook), or nothing left to bring: nothing to say.
    if (!dryRun && opened.outcome !== 'done') return;
    const number = dryRun
      ? undefined
      : await openPullRequestNumber(target, opened.action.head, opened.action.base);
    await reply(context, merged.number, mergeBackContinuedReply(opened.action, number), dryRun);
  } catch (error) {
    const transient = transientFailure(error);
    if (transient !== undefined) throw transient;
    context.log.error({ err: error, pullRequest: merged.number }, 'merge-back cascade not continued');
    await reply(context, merged.number, mergeBackFailedReply(merged, error), dryRun);
  }
}

/** Publishes every accepted release still lacking its tag, oldest first. */
async function finishUnfinished(
  context: EventContext,
  target: ReleaseTarget,
  dryRun: boolean,
  mergeBackLabels: MergeBackLabels,
): Promise<void> {
  const unfinished = (await findUnfinishedReleasesIn(target.source)).reverse();
  for (const proposal of unfinished) {
    context.log.info(
      { tag: proposal.tag, pullRequest: proposal.pullRequest },
      'finishing an unfinished release',
    );
    await publishOne(context, target, proposal.tag, proposal.pullRequest, dryRun, mergeBackLabels);
  }
}

async function publishOne(
  context: EventContext,
  target: ReleaseTarget,
  tag: string,
  pullRequest: number | undefined,
  dryRun: boolean,
  mergeBackLabels: MergeBackLabels,
): Promise<void> {
  try {
    const results = await publishReleases(target.source, target.forge, {
      version: tag,
      dryRun,
      mergeBackLabels,
    });
    for (const { plan, applied } of results) {
      logApplied(context, applied, dryRun);
      // Re-running a finished release changes nothing, and says nothing.
      if (!dryRun && !applied.some((a) => a.outcome === 'done')) continue;
      const url = dryRun ? undefined : await releaseUrl(target, plan.tag);
      if (pullRequest !== undefined)
        await reply(context, pullRequest, publishedReply(plan, applied, url), dryRun);
    }
  } catch (error) {
    const transient = transientFailure(error);
    if (transient !== undefined) throw transient;
    context.log.error({ err: error, tag, pullRequest }, 'release not published');
    if (pullRequest !== undefined) await reply(context, pullRequest, publishFailedReply(tag, error), dryRun);
  }
}

async function openPullRequestNumber(
  target: ReleaseTarget,
  head: string,
  base?: string,
): Promise<number | undefined> {
  const { octokit, owner, repo } = target.client;
  const { data } = await target.client.call(`find pull request ${head}`, () =>
    octokit.rest.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${head}`,
      ...(base ? { base } : {}),
    }),
  );
  return data[0]?.number;
}

async function releaseUrl(target: ReleaseTarget, tag: string): Promise<string | undefined> {
  const { octokit, owner, repo } = target.client;
  const found = await target.client.find(`GET release ${tag}`, () =>
    octokit.rest.repos.getReleaseByTag({ owner, repo, tag }),
  );
  return found?.data.html_url;
}

async function reply(context: EventContext, issue: number, body: string, dryRun: boolean): Promise<void> {
  const repo = `${context.repo.owner}/${context.repo.repo}`;
  const action = { type: 'comment', issue, body };
  context.log.info({ dryRun, repo, action }, `${dryRun ? 'dry run: would ' : ''}comment`);
  if (!dryRun)
    await context.octokit.rest.issues.createComment({ ...context.repo, issue_number: issue, body });
}

function logApplied(context: EventContext, applied: readonly AppliedAction[], dryRun: boolean): void {
  const repo = `${context.repo.owner}/${context.repo.repo}`;
  for (const a of applied) {
    context.log.info(
      { dryRun, repo, action: { type: a.action.kind, outcome: a.outcome } },
      `${dryRun ? 'dry run: would ' : ''}${a.description}`,
    );
  }
}
