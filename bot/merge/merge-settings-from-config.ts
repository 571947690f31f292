/**
 * The bridge from `.github/affineur.yml` (the `merge` section) to what the pure policy and the
 * queue read. The policy keeps its own small `MergeSettings` shape so it does not depend on the
 * config schema's nesting, and this is the one place that knows both.
 */
import type { RepoConfig } from '../config/repo-config-schema.js';
import type { CommitMessagePolicy } from './commit-message.js';
import type { MergeSettings } from './merge-settings.js';

/** The name of the check run the bot keeps on each queued PR's head. */
export const mergeCheckName = 'affineur/merge';

export interface MergeQueueSettings {
  enabled: boolean;
  dryRun: boolean;
  policy: MergeSettings;
  commitMessage: CommitMessagePolicy;
  retryIntervalMs: number;
  ciTimeoutMs: number;
  deleteBranch: boolean;
}

export function mergeQueueSettings(config: Pick<RepoConfig, 'merge' | 'dryRun'>): MergeQueueSettings {
  const merge = config.merge;
  const markers = merge.markers;
  return {
    enabled: merge.enabled,
    dryRun: config.dryRun || merge.dryRun,
    policy: {
      readyLabel: markers.needMerge,
      inProgressLabel: markers.mergeInProgress,
      needHumanLabel: markers.needHumanMerge,
      // The need-human label always blocks: a PR a human must look at is out of the queue.
      blockingLabels: [...new Set([markers.needHumanMerge, ...merge.blockingLabels])],
      quietLabels: [markers.noMerge],
      releaseBranches: merge.releaseBranches,
      minReview: merge.minReview,
      minLightReview: merge.minLightReview,
      lightReviewLabel: markers.lightReview,
      needMilestone: merge.needMilestone,
      defaultMethod: merge.method,
      methodLabelPrefix: markers.mergeMethodPrefix,
      noRebaseLabel: markers.noRebase,
      retryLabelPrefix: markers.mergeRetryPrefix,
      retryNumber: merge.retry.number,
      forceNeedUpToDate: merge.forceNeedUpToDate,
      approvalsSurvivePushes: merge.approvalsSurvivePushes,
      ignoredChecks: [mergeCheckName],
    },
    commitMessage: merge.commitMessage,
    retryIntervalMs: merge.retry.interval,
    ciTimeoutMs: merge.ciTimeout,
    deleteBranch: merge.deleteBranch,
  };
}
