/**
 * Whether a pull request may merge: the whole policy in one pure function over plain facts
 * (git's answers, statuses, check runs, reviews, branch protection), so the REST `mergeable_state`
 * and the merge endpoint's refusals always agree.
 */
import type {
  CheckRunRecord,
  ProtectionRecord,
  RepoRole,
  ReviewRecord,
  StatusRecord,
} from '../state/model.js';
import { permissionRank } from '../state/model.js';

export type MergeableState = 'clean' | 'dirty' | 'blocked' | 'behind' | 'unstable' | 'draft' | 'unknown';

export interface MergeFacts {
  open: boolean;
  draft: boolean;
  headSha: string;
  /** null when git has not answered (closed PRs). */
  conflicts: boolean | null;
  /** The base tip is not in the head's history. */
  behind: boolean;
  protection: ProtectionRecord | undefined;
  statuses: StatusRecord[];
  checkRuns: CheckRunRecord[];
  reviews: ReviewRecord[];
  roleOf(login: string): RepoRole | 'none';
}

export interface MergeVerdict {
  mergeable: boolean | null;
  state: MergeableState;
  /** Why merging is refused, in GitHub's words; empty when it may merge. */
  blockers: string[];
}

const passingCheck = new Set(['success', 'neutral', 'skipped']);

/** The latest state of each status context and check name on the head commit. */
export function latestChecks(
  facts: Pick<MergeFacts, 'statuses' | 'checkRuns' | 'headSha'>,
): Map<string, 'pass' | 'fail' | 'pending'> {
  const result = new Map<string, 'pass' | 'fail' | 'pending'>();
  const statuses = facts.statuses.filter((s) => s.sha === facts.headSha).sort((a, b) => a.id - b.id);
  for (const status of statuses) {
    result.set(
      status.context,
      status.state === 'success' ? 'pass' : status.state === 'pending' ? 'pending' : 'fail',
    );
  }
  const runs = facts.checkRuns.filter((c) => c.headSha === facts.headSha).sort((a, b) => a.id - b.id);
  for (const run of runs) {
    const verdict =
      run.status !== 'completed' ? 'pending' : passingCheck.has(run.conclusion ?? '') ? 'pass' : 'fail';
    result.set(run.name, verdict);
  }
  return result;
}

/** Latest submitted review per reviewer, ignoring plain comments (they neither approve nor block). */
export function latestReviews(reviews: ReviewRecord[]): Map<string, ReviewRecord> {
  const latest = new Map<string, ReviewRecord>();
  for (const review of [...reviews].sort((a, b) => a.id - b.id)) {
    if (review.state === 'PENDING' || review.state === 'COMMENTED') continue;
    latest.set(review.userLogin.toLowerCase(), review);
  }
  return latest;
}

export function decideMergeability(facts: MergeFacts): MergeVerdict {
  if (!facts.open) return { mergeable: null, state: 'unknown', blockers: ['Pull Request is not open'] };
  if (facts.conflicts === null)
    return { mergeable: null, state: 'unknown', blockers: ['Pull Request is not mergeable'] };
  if (facts.conflicts)
    return { mergeable: false, state: 'dirty', blockers: ['Pull Request is not mergeable'] };
  if (facts.draft) return { mergeable: true, state: 'draft', blockers: ['Pull Request is still a draft'] };

  const blockers: string[] = [];
  let behindBlocks = false;
  const checks = latestChecks(facts);
  const protection = facts.protection;
  const required = new Set(protection?.requiredStatusChecks?.contexts ?? []);
  if (protection?.requiredStatusChecks) {
    for (const context of required) {
      const verdict = checks.get(context);
      if (verdict === undefined) blockers.push(`Required status check "${context}" is expected.`);
      else if (verdict === 'pending') blockers.push(`Required status check "${context}" is in progress.`);
      else if (verdict === 'fail') blockers.push(`Required status check "${context}" is failing.`);
    }
    if (protection.requiredStatusChecks.strict && facts.behind) {
      behindBlocks = true;
      blockers.push('Head branch is not up to date with the base branch.');
    }
  }
  const needed = protection?.requiredApprovingReviewCount ?? 0;
  if (protection && protection.requiredApprovingReviewCount !== null) {
    const writers = [...latestReviews(facts.reviews).values()].filter(
      (r) => permissionRank(facts.roleOf(r.userLogin)) >= permissionRank('write'),
    );
    const approvals = writers.filter(
      (r) => r.state === 'APPROVED' && (!protection.dismissStaleReviews || r.commitId === facts.headSha),
    ).length;
    if (writers.some((r) => r.state === 'CHANGES_REQUESTED')) {
      blockers.push('A reviewer with write access requested changes.');
    }
    if (approvals < needed) {
      blockers.push(
        `At least ${needed} approving review${needed === 1 ? ' is' : 's are'} required by reviewers with write access.`,
      );
    }
  }
  if (blockers.length > 0) {
    return { mergeable: true, state: behindBlocks && blockers.length === 1 ? 'behind' : 'blocked', blockers };
  }
  const unstable = [...checks.entries()].some(([name, verdict]) => !required.has(name) && verdict !== 'pass');
  return { mergeable: true, state: unstable ? 'unstable' : 'clean', blockers: [] };
}
