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
  /** The head does not contain the base's latest commit. */
  behindBase: boolean;
  /** The PR's own commits include merge commits, so rebasing would rewrite them. */
  hasMergeCommits: boolean;
  /** Authors of the PR's commits other than the PR author, credited with Co-authored-by. */
  coAuthors: readonly { name: string; email: string }[];
  reviews: readonly ReviewFact[];
  checkRuns: readonly CheckRunFact[];
  statuses: readonly StatusFact[];
  protection: BranchProtectionFact | undefined;
}
