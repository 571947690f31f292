/**
 * What a merged pull request looks like in the state, however it was merged: through the API
 * (`merge-pull.ts`) or by a push that brought its head into the base (`after-push.ts`). It is
 * closed, `merged` by that account, and its counts are frozen, because once the head is in the
 * base git can no longer tell them.
 */
import type { AccountRecord, PullCounts } from '../state/model.js';
import type { OpenPull } from './pull-facts.js';

export interface MergeRecord {
  /** The base tip the PR was measured against (the tip before the merge). */
  baseSha: string;
  /** Commits, additions, deletions and changed files against `baseSha`. */
  counts: Omit<PullCounts, 'baseSha'>;
  mergedBy: AccountRecord;
  mergeCommitSha: string;
  /** ISO timestamp, seconds precision. */
  at: string;
}

export function recordMerge(issue: OpenPull, merge: MergeRecord): void {
  const { counts, mergedBy, at } = merge;
  issue.pull.frozen = {
    baseSha: merge.baseSha,
    commits: counts.commits,
    additions: counts.additions,
    deletions: counts.deletions,
    changedFiles: counts.changedFiles,
  };
  issue.state = 'closed';
  issue.closedAt = at;
  issue.closedByLogin = mergedBy.login;
  issue.updatedAt = at;
  issue.pull.merged = true;
  issue.pull.mergedAt = at;
  issue.pull.mergedByLogin = mergedBy.login;
  issue.pull.mergeCommitSha = merge.mergeCommitSha;
}
