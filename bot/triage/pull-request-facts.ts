/** The plain facts about a PR that triage rules read; gathered by the adapter, never fetched here. */
export interface ChangedFile {
  filename: string;
  additions: number;
  deletions: number;
}

export interface PullRequestFacts {
  number: number;
  title: string;
  labels: string[];
  baseRef: string;
  /** The current milestone's number, if any. */
  milestone: number | undefined;
  files: ChangedFile[];
  /** A draft counts as a status, like a WIP label (aloba). */
  draft?: boolean;
  /**
   * True for the event that opened (or reopened) the PR, false for a push. Needs-triage is only
   * added at opening, and the size on a push only with `size.recomputeOnPush`.
   */
  opening?: boolean;
}

export interface MilestoneFacts {
  number: number;
  title: string;
  state: 'open' | 'closed';
}
