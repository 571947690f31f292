/**
 * Everything the merge policy looks at, as plain data. The adapter gathers it from the API
 * (pull, reviews, check runs, combined status, branch protection); the policy never calls out.
 */
export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewFact {
  user: string;
  state: ReviewState;
  /** ISO time; reviews are ordered by it. */
  submittedAt: string;
  /** The head the review was given on; an approval is for that commit's changes. */
  commitId?: string | undefined;
}

export interface CheckRunFact {
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
}

export interface StatusFact {
  context: string;
  state: 'success' | 'pending' | 'failure' | 'error';
}

export interface BranchProtectionFact {
  /** Status check names (contexts or check run names) that must be present and green. */
  requiredChecks: readonly string[];
  /** `strict`: the branch must be up to date with the base before merging. */
  strict: boolean;
  requiredApprovals: number;
  /** GitHub's "dismiss stale pull request approvals when new commits are pushed". */
  dismissStaleReviews?: boolean;
}

export interface PullRequestFacts {
  number: number;
  title: string;
  body: string;
  author: string;
  state: 'open' | 'closed';
  merged: boolean;
  draft: boolean;
  labels: readonly string[];
  milestone: string | undefined;
  baseRef: string;
  defaultBranch: string;
  headRef: string;
  headSha: string;
  /** True when the head branch lives in the base repository (not a fork). */
  sameRepo: boolean;
  maintainerCanModify: boolean;
  /** GitHub's `mergeable`: null while it is still being computed. */
  mergeable: boolean | null;
  /** When not mergeable: the files that conflict with the base, as git finds them. */
  conflictingFiles?: readonly string[];
  /** The head does not contain the base's latest commit. */
  behindBase: boolean;
  /** The PR's own commits include merge commits, so rebasing would rewrite them. */
  hasMergeCommits: boolean;
  /**
   * Everyone the PR's commits credit besides the PR author: the other commit authors and the
   * commits' own `Co-authored-by:` trailers (the description's are read from `body`).
   */
  coAuthors: readonly { name: string; email: string }[];
  reviews: readonly ReviewFact[];
  /**
   * The head, then the earlier heads whose changes it carries unchanged because only the bot
   * moved the branch since (a rebase or base merge with the same `git patch-id`). An approval
   * counts when it was given on one of these.
   */
  unchangedSince?: readonly string[];
  checkRuns: readonly CheckRunFact[];
  statuses: readonly StatusFact[];
  protection: BranchProtectionFact | undefined;
}
