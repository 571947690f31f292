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
}

export interface MilestoneFacts {
  number: number;
  title: string;
  state: 'open' | 'closed';
}
