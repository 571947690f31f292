/**
 * The merge conditions, each one a pure function of the PR's facts and the settings. Their
 * results are both the policy's input and what the `affineur/merge` check run shows, so the
 * check can never disagree with what the bot does.
 */
import type { MergeMethod, MergeSettings } from './merge-settings.js';
import type { PullRequestFacts } from './pull-request-facts.js';

export type ConditionId = 'state' | 'labels' | 'method' | 'milestone' | 'reviews' | 'ci' | 'mergeable';

/**
 * `pass`; `pending` (wait silently, it may pass on its own); `fail` (a human must act);
 * `retry` (failed, but worth another try: CI can be flaky).
 */
export type ConditionStatus = 'pass' | 'pending' | 'fail' | 'retry';

export interface ConditionResult {
  id: ConditionId;
  title: string;
  status: ConditionStatus;
  reason: string;
}

type Condition = (pr: PullRequestFacts, settings: MergeSettings) => ConditionResult;

const state: Condition = (pr) => {
  const title = 'Open and not a draft';
  if (pr.merged) return { id: 'state', title, status: 'fail', reason: 'already merged' };
  if (pr.state !== 'open')
    return { id: 'state', title, status: 'fail', reason: 'the pull request is closed' };
  // A draft pauses the PR (no human needed): marking it ready for review resumes it.
  if (pr.draft) return { id: 'state', title, status: 'pending', reason: 'the pull request is a draft' };
  return { id: 'state', title, status: 'pass', reason: 'open' };
};

const labels: Condition = (pr, settings) => {
  const title = 'No blocking label';
  const quiet = pr.labels.filter((label) => settings.quietLabels.includes(label));
  const blocking = pr.labels.filter(
    (label) => settings.blockingLabels.includes(label) && !settings.quietLabels.includes(label),
  );
  if (blocking.length > 0) {
    return {
      id: 'labels',
      title,
      status: 'fail',
      reason: `labelled ${blocking.map((l) => `\`${l}\``).join(', ')}`,
    };
  }
  if (quiet.length > 0) {
    // Paused quietly (lobicornis's `bot/no-merge`): removing the label resumes the PR.
    return {
      id: 'labels',
      title,
      status: 'pending',
      reason: `labelled ${quiet.map((l) => `\`${l}\``).join(', ')}`,
    };
  }
  return { id: 'labels', title, status: 'pass', reason: 'none' };
};

const method: Condition = (pr, settings) => {
  const title = 'Merge method';
  const chosen = methodLabels(pr, settings);
  if (chosen.length > 1) {
    const list = chosen.map((m) => `\`${settings.methodLabelPrefix}${m}\``).join(' and ');
    return { id: 'method', title, status: 'fail', reason: `${list} conflict: keep exactly one` };
  }
  return { id: 'method', title, status: 'pass', reason: chosen[0] ?? `${settings.defaultMethod} (default)` };
};

const milestone: Condition = (pr, settings) => {
  const title = 'Milestone';
  if (!settings.needMilestone) return { id: 'milestone', title, status: 'pass', reason: 'not required' };
  if (!pr.milestone) return { id: 'milestone', title, status: 'fail', reason: 'no milestone is set' };
  return { id: 'milestone', title, status: 'pass', reason: pr.milestone };
};

const reviews: Condition = (pr, settings) => {
  const title = 'Reviews';
  const verdicts = latestReviewPerUser(pr);
  const blockers = [...verdicts].filter(([, r]) => r.state === 'CHANGES_REQUESTED').map(([user]) => user);
  if (blockers.length > 0) {
    return {
      id: 'reviews',
      title,
      status: 'fail',
      reason: `changes requested by ${blockers.map((u) => `@${u}`).join(', ')}`,
    };
  }
  const approvers = [...verdicts].filter(([, r]) => r.state === 'APPROVED');
  const current = approvers.filter(([, r]) => approvalCounts(pr, settings, r.commitId));
  const stale = approvers.filter(([, r]) => !approvalCounts(pr, settings, r.commitId)).map(([user]) => user);
  const approvals = current.length;
  const light = pr.labels.includes(settings.lightReviewLabel);
  const needed = Math.max(
    light ? settings.minLightReview : settings.minReview,
    pr.protection?.requiredApprovals ?? 0,
  );
  const what = `${approvals} of ${needed} approval${needed === 1 ? '' : 's'}${light ? ' (light review)' : ''}`;
  const why =
    stale.length > 0 && approvals < needed
      ? `; ${stale.map((u) => `@${u}`).join(', ')} approved an earlier commit and ${
          pr.protection?.dismissStaleReviews
            ? 'branch protection dismisses stale approvals'
            : 'someone other than the bot pushed since'
        }: a new review is needed`
      : '';
  return { id: 'reviews', title, status: approvals >= needed ? 'pass' : 'fail', reason: `${what}${why}` };
};

/**
 * An approval is for the changes its reviewer saw: it counts on the commit it was given on, or
 * on a head the bot made from that commit without changing the PR's own changes. GitHub's
 * "dismiss stale approvals" protection is stricter (the head itself), and
 * `approvalsSurvivePushes` is the repository's choice to trust later pushes.
 */
function approvalCounts(
  pr: Pick<PullRequestFacts, 'headSha' | 'unchangedSince' | 'protection'>,
  settings: Pick<MergeSettings, 'approvalsSurvivePushes'>,
  commitId: string | undefined,
): boolean {
  if (pr.protection?.dismissStaleReviews) return commitId === pr.headSha;
  if (settings.approvalsSurvivePushes) return true;
  return commitId !== undefined && (commitId === pr.headSha || (pr.unchangedSince ?? []).includes(commitId));
}

const ci: Condition = (pr, settings) => {
  const title = 'CI';
  const runs = pr.checkRuns.filter((run) => !settings.ignoredChecks.includes(run.name));
  const failedRuns = runs.filter(
    (run) => run.status === 'completed' && !['success', 'neutral', 'skipped'].includes(run.conclusion ?? ''),
  );
  const failedStatuses = pr.statuses.filter((s) => s.state === 'failure' || s.state === 'error');
  const failed = [...failedRuns.map((r) => r.name), ...failedStatuses.map((s) => s.context)];
  if (failed.length > 0) return { id: 'ci', title, status: 'retry', reason: `failing: ${failed.join(', ')}` };
  const present = new Set([...runs.map((r) => r.name), ...pr.statuses.map((s) => s.context)]);
  const missing = (pr.protection?.requiredChecks ?? []).filter((name) => !present.has(name));
  const running = [
    ...runs.filter((run) => run.status !== 'completed').map((r) => r.name),
    ...pr.statuses.filter((s) => s.state === 'pending').map((s) => s.context),
  ];
  if (running.length > 0)
    return { id: 'ci', title, status: 'pending', reason: `running: ${running.join(', ')}` };
  if (missing.length > 0) {
    return {
      id: 'ci',
      title,
      status: 'pending',
      reason: `required but not reported yet: ${missing.join(', ')}`,
    };
  }
  const total = runs.length + pr.statuses.length;
  return { id: 'ci', title, status: 'pass', reason: total === 0 ? 'no checks configured' : `${total} green` };
};

const mergeable: Condition = (pr) => {
  const title = 'No conflicts';
  if (pr.mergeable === null)
    return { id: 'mergeable', title, status: 'pending', reason: 'GitHub is computing it' };
  if (!pr.mergeable) {
    const files = pr.conflictingFiles ?? [];
    const list = files.length > 0 ? ` in ${files.map((f) => `\`${f}\``).join(', ')}` : '';
    return { id: 'mergeable', title, status: 'fail', reason: `conflicts with \`${pr.baseRef}\`${list}` };
  }
  return { id: 'mergeable', title, status: 'pass', reason: 'mergeable' };
};

const conditions: readonly Condition[] = [state, labels, method, milestone, reviews, ci, mergeable];

export function evaluateConditions(pr: PullRequestFacts, settings: MergeSettings): ConditionResult[] {
  return conditions.map((condition) => condition(pr, settings));
}

/** The merge methods chosen by labels on the PR, in a stable order. */
export function methodLabels(pr: Pick<PullRequestFacts, 'labels'>, settings: MergeSettings): MergeMethod[] {
  const all: MergeMethod[] = ['squash', 'merge', 'rebase', 'ff'];
  return all.filter((m) => pr.labels.includes(`${settings.methodLabelPrefix}${m}`));
}

/**
 * Each reviewer's current verdict: their latest review that is not a plain comment. A dismissed
 * review takes the reviewer out entirely; the author's own reviews never count.
 */
export function latestReviewPerUser(
  pr: Pick<PullRequestFacts, 'reviews' | 'author'>,
): Map<string, { state: 'APPROVED' | 'CHANGES_REQUESTED'; commitId: string | undefined }> {
  const ordered = [...pr.reviews].sort((a, b) => a.submittedAt.localeCompare(b.submittedAt));
  const verdicts = new Map<
    string,
    { state: 'APPROVED' | 'CHANGES_REQUESTED'; commitId: string | undefined }
  >();
  for (const review of ordered) {
    if (review.user === pr.author) continue;
    if (review.state === 'DISMISSED') verdicts.delete(review.user);
    else if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED')
      verdicts.set(review.user, { state: review.state, commitId: review.commitId });
  }
  return verdicts;
}
