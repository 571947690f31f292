/** The merge-queue settings the policy reads; a slice of `.github/affineur.yml`. */
export type MergeMethod = 'squash' | 'merge' | 'rebase' | 'ff';

export interface MergeSettings {
  /** The label that asks for a merge. */
  readyLabel: string;
  /** Added while the bot waits for CI on a head it has just updated. */
  inProgressLabel: string;
  needHumanLabel: string;
  /** Labels that keep a PR out of the queue (the need-human label is always one). */
  blockingLabels: readonly string[];
  /**
   * Labels that pause a PR quietly (lobicornis's `bot/no-merge`): it is skipped without a
   * comment or the need-human label, and removing the label resumes it.
   */
  quietLabels: readonly string[];
  /**
   * Glob patterns (`*` within a path segment, `**` across) of release branches. The bot never
   * rewrites them: a PR from one (a merge-back) is merged with a fast-forward of its base or a
   * merge commit, never rebased.
   */
  releaseBranches: readonly string[];
  minReview: number;
  minLightReview: number;
  lightReviewLabel: string;
  needMilestone: boolean;
  defaultMethod: MergeMethod;
  /** Labels are `${methodLabelPrefix}${method}`. */
  methodLabelPrefix: string;
  noRebaseLabel: string;
  /** Labels are `${retryLabelPrefix}${n}`. */
  retryLabelPrefix: string;
  retryNumber: number;
  /** Bring the PR up to date even when branch protection does not ask for it. */
  forceNeedUpToDate: boolean;
  /**
   * Approvals keep counting after a push by someone other than the bot (`merge.approvalsSurvivePushes`).
   * Off by default: an approval is for the changes the reviewer saw.
   */
  approvalsSurvivePushes: boolean;
  /** Check runs that are ours and must not gate the merge (the merge check itself). */
  ignoredChecks: readonly string[];
}

/** The baseline rules of the Go proxy project's merge bot. */
export const defaultMergeSettings: MergeSettings = {
  readyLabel: 'status/3-needs-merge',
  inProgressLabel: 'status/4-merge-in-progress',
  needHumanLabel: 'bot/need-human-merge',
  blockingLabels: ['bot/need-human-merge', 'bot/no-merge'],
  quietLabels: ['bot/no-merge'],
  releaseBranches: ['v*'],
  minReview: 3,
  minLightReview: 1,
  lightReviewLabel: 'bot/light-review',
  needMilestone: true,
  defaultMethod: 'squash',
  methodLabelPrefix: 'bot/merge-method-',
  noRebaseLabel: 'bot/merge-no-rebase',
  retryLabelPrefix: 'bot/merge-retry-',
  retryNumber: 2,
  forceNeedUpToDate: false,
  approvalsSurvivePushes: false,
  ignoredChecks: ['affineur/merge'],
};
