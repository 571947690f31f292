import { retryCount } from './decide-next-step.js';
import type { MergeSettings } from './merge-settings.js';

export interface QueuedPullRequest {
  number: number;
  labels: readonly string[];
  /** ISO time the PR became ready (its ready label was added). */
  readySince: string;
}

/**
 * The order a (repo, base branch) queue serves its PRs: merge-backs first (they carry
 * `merge-method-ff` and keep release branches and the default branch together), then PRs
 * being retried, then the one already in progress, then the oldest ready.
 */
export function orderQueue<T extends QueuedPullRequest>(entries: readonly T[], settings: MergeSettings): T[] {
  const rank = (entry: T): number => {
    if (entry.labels.includes(`${settings.methodLabelPrefix}ff`)) return 0;
    if (retryCount(entry, settings) > 0) return 1;
    if (entry.labels.includes(settings.inProgressLabel)) return 2;
    return 3;
  };
  return [...entries].sort(
    (a, b) => rank(a) - rank(b) || a.readySince.localeCompare(b.readySince) || a.number - b.number,
  );
}
