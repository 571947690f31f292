/**
 * The whole merge policy in one place (after Kodiak's `mergeable()`): given a PR's facts and the
 * settings, what should the bot do next? Pure, so every rule is tested without a network, and
 * the check run, the dry run and the real run all read the same answer.
 */
import { isReleaseBranch } from './branch-rewrite-guard.js';
import { buildCommitMessage, type CommitMessagePolicy } from './commit-message.js';
import { type ConditionResult, evaluateConditions, methodLabels } from './conditions.js';
import type { MergeMethod, MergeSettings } from './merge-settings.js';
import type { PullRequestFacts } from './pull-request-facts.js';

export type UpdateStrategy = 'rebase' | 'merge-base' | 'update-branch-api';

export type MergeDecision =
  /** Not asking to be merged, or out of the queue until a human acts. */
  | { kind: 'skip'; reason: string }
  /** Paused quietly (a draft, `bot/no-merge`): no human needed, the PR resumes by itself. */
  | { kind: 'paused'; reason: string }
  /** Something is still running; check again when it reports. */
  | { kind: 'wait'; reason: string }
  | { kind: 'needs-human'; reasons: string[] }
  /** CI failed, but retries are left: label `retry-N` and look again after the interval. */
  | { kind: 'retry'; attempt: number; reason: string }
  | { kind: 'update'; strategy: UpdateStrategy; reason: string }
  | {
      kind: 'merge';
      method: MergeMethod;
      /** The head the conditions were evaluated at; the merge must fail if the PR moved since. */
      sha: string;
      commitTitle: string;
      /** Undefined lets GitHub write its default message. */
      commitMessage: string | undefined;
      /**
       * A merge-back (the head is a release branch): `ff` fast-forwards the base, `merge` writes
       * a merge commit on it; the head is never touched.
       */
      mergeBack?: boolean;
    };

export interface NextStep {
  decision: MergeDecision;
  conditions: ConditionResult[];
}

export function decideNextStep(
  pr: PullRequestFacts,
  settings: MergeSettings,
  commitMessagePolicy: CommitMessagePolicy,
): NextStep {
  const conditions = evaluateConditions(pr, settings);
  return { decision: decide(pr, settings, commitMessagePolicy, conditions), conditions };
}

function decide(
  pr: PullRequestFacts,
  settings: MergeSettings,
  policy: CommitMessagePolicy,
  conditions: ConditionResult[],
): MergeDecision {
  if (!pr.labels.includes(settings.readyLabel))
    return { kind: 'skip', reason: `not labelled ${settings.readyLabel}` };
  if (pr.merged || pr.state !== 'open')
    return { kind: 'skip', reason: pr.merged ? 'already merged' : 'closed' };
  if (pr.labels.includes(settings.needHumanLabel))
    return { kind: 'skip', reason: `labelled ${settings.needHumanLabel}` };

  const paused = pausedBy(conditions, settings);
  if (paused) return { kind: 'paused', reason: paused };

  const failed = conditions.filter((c) => c.status === 'fail');
  if (failed.length > 0)
    return { kind: 'needs-human', reasons: failed.map((c) => `${c.title}: ${c.reason}`) };

  const ci = conditions.find((c) => c.id === 'ci');
  if (ci?.status === 'retry') {
    const attempt = retryCount(pr, settings) + 1;
    if (attempt > settings.retryNumber) {
      const tries =
        settings.retryNumber === 0
          ? ''
          : ` after ${settings.retryNumber} retr${settings.retryNumber === 1 ? 'y' : 'ies'}`;
      return { kind: 'needs-human', reasons: [`CI: ${ci.reason}${tries}`] };
    }
    return { kind: 'retry', attempt, reason: `CI: ${ci.reason}` };
  }

  const pending = conditions.filter((c) => c.status === 'pending');
  if (pending.length > 0)
    return { kind: 'wait', reason: pending.map((c) => `${c.title}: ${c.reason}`).join('; ') };

  if (isMergeBack(pr, settings)) return mergeBackDecision(pr);

  const method = methodLabels(pr, settings)[0] ?? settings.defaultMethod;
  // A fast-forward needs the base in the head's history; the other methods only when asked.
  const mustBeUpToDate = method === 'ff' || pr.protection?.strict === true || settings.forceNeedUpToDate;
  if (pr.behindBase && mustBeUpToDate) return updateDecision(pr, settings);

  const message = buildCommitMessage(pr, method, policy);
  return { kind: 'merge', method, sha: pr.headSha, commitTitle: message.title, commitMessage: message.body };
}

/** What pauses the PR quietly: a draft, or a quiet label; undefined when nothing does. */
function pausedBy(conditions: readonly ConditionResult[], settings: MergeSettings): string | undefined {
  const state = conditions.find((c) => c.id === 'state');
  if (state?.status === 'pending') return state.reason;
  const labels = conditions.find((c) => c.id === 'labels');
  if (labels?.status === 'pending')
    return `${labels.reason}; remove ${settings.quietLabels.length > 1 ? 'them' : 'it'} to resume`;
  return undefined;
}

/** A PR from a release branch of this repository into another branch: a merge-back. */
export function isMergeBack(
  pr: Pick<PullRequestFacts, 'sameRepo' | 'headRef' | 'baseRef'>,
  settings: Pick<MergeSettings, 'releaseBranches'>,
): boolean {
  return pr.sameRepo && pr.headRef !== pr.baseRef && isReleaseBranch(pr.headRef, settings.releaseBranches);
}

/**
 * A merge-back's head is the source of truth (the release's tag is on it): it is never rebased
 * nor pushed to. When the base is in its history the base is fast-forwarded to it; otherwise a
 * merge commit is written on the base. When the base must be up to date first (strict
 * protection), only a human can do it without rewriting the release branch.
 */
function mergeBackDecision(pr: PullRequestFacts): MergeDecision {
  if (!pr.behindBase) {
    return {
      kind: 'merge',
      method: 'ff',
      sha: pr.headSha,
      commitTitle: pr.title,
      commitMessage: undefined,
      mergeBack: true,
    };
  }
  if (pr.protection?.strict) {
    return {
      kind: 'needs-human',
      reasons: [
        `Merge-back: \`${pr.baseRef}\` requires branches to be up to date before merging, and \`${pr.headRef}\` is a release branch the bot never rewrites; merge it by hand with a merge commit, or bring \`${pr.baseRef}\` into a new branch and open a PR from it`,
      ],
    };
  }
  // The release's commits are already credited where they were merged: only the title is ours.
  return {
    kind: 'merge',
    method: 'merge',
    sha: pr.headSha,
    commitTitle: `${pr.title.trim()} (#${pr.number})`,
    commitMessage: undefined,
    mergeBack: true,
  };
}

function updateDecision(pr: PullRequestFacts, settings: MergeSettings): MergeDecision {
  if (pr.sameRepo && pr.headRef === pr.defaultBranch) {
    return {
      kind: 'needs-human',
      reasons: [`Up to date: the head is the default branch \`${pr.headRef}\`, which the bot never rewrites`],
    };
  }
  const behind = `\`${pr.headRef}\` is behind \`${pr.baseRef}\``;
  if (!pr.sameRepo && !pr.maintainerCanModify) {
    return {
      kind: 'update',
      strategy: 'update-branch-api',
      reason: `${behind}; the fork does not allow maintainer edits`,
    };
  }
  if (pr.hasMergeCommits || pr.labels.includes(settings.noRebaseLabel)) {
    const why = pr.hasMergeCommits ? 'it has merge commits' : `labelled ${settings.noRebaseLabel}`;
    return {
      kind: 'update',
      strategy: 'merge-base',
      reason: `${behind}; merging the base in because ${why}`,
    };
  }
  return { kind: 'update', strategy: 'rebase', reason: behind };
}

/** How many retries this PR has used, from its `bot/merge-retry-N` label. */
export function retryCount(pr: Pick<PullRequestFacts, 'labels'>, settings: MergeSettings): number {
  let count = 0;
  for (const label of pr.labels) {
    if (!label.startsWith(settings.retryLabelPrefix)) continue;
    const n = Number(label.slice(settings.retryLabelPrefix.length));
    if (Number.isInteger(n) && n > count) count = n;
  }
  return count;
}
