/**
 * Where the release engine reads a repository's history from. Two implementations: a local git
 * clone (simple-git) and a GitHub-compatible REST API (Octokit with a base URL: github.com,
 * GitHub Enterprise, or the sandbox forge). Everything the plan needs comes through here, so
 * the plan itself never touches git or the network.
 */

import type { MergedPullRequest } from '../changelog/changelog-entry.js';
import type { CommitFact } from '../changelog/changelog-from-commits.js';
import type { RepositoryLinks } from '../changelog/repository-links.js';

export interface TagFact {
  readonly name: string;
  /** The commit the tag points at (peeled through annotated tags). */
  readonly sha: string;
  /** The annotated tag's message; undefined for lightweight tags. */
  readonly message?: string | undefined;
}

export interface PublishedRelease {
  readonly tagName: string;
  readonly title: string;
}

/** A release that was prepared and accepted (PR merged, or commit made) and may lack its tag. */
export interface ReleaseProposal {
  readonly tag: string;
  /** The commit that carries the prepared files: the PR's merge commit, or the local commit. */
  readonly sha: string;
  readonly pullRequest?: number | undefined;
  /** The branch the proposal went into: the release's base branch. */
  readonly branch: string;
}

export interface ProposalFilter {
  readonly version?: string | undefined;
  readonly branch?: string | undefined;
}

export interface ReleaseSource {
  /** Links for the changelog, on the repository's own host. */
  links(): Promise<RepositoryLinks>;
  defaultBranch(): Promise<string>;
  /** The branch a release is cut from when none is given (the clone's HEAD, or the default). */
  currentBranch(): Promise<string>;
  listTags(): Promise<TagFact[]>;
  /** Just the tag names: what "is this release tagged?" needs, at one request per 100 tags. */
  listTagNames(): Promise<string[]>;
  listReleases(): Promise<PublishedRelease[]>;
  listBranches(): Promise<string[]>;
  resolveCommit(ref: string): Promise<string>;
  /** A file's content at a ref, or undefined when it does not exist there. */
  readFile(path: string, ref: string): Promise<string | undefined>;
  /** Commits reachable from `ref` but not from `since`, newest first. */
  commitsSince(since: string | null, ref: string): Promise<CommitFact[]>;
  /** Pull requests merged into `ref` after `since`, or undefined when the source has no PR data. */
  mergedPullRequestsSince(since: string | null, ref: string): Promise<MergedPullRequest[] | undefined>;
  /**
   * Accepted release proposals, newest first, for publish and the bot's unfinished-release
   * sweep. With a version, only that version's proposals, however old they are; without, the
   * recent ones (an API source looks at a bounded number of closed pull requests). With a
   * branch, only the proposals accepted into that branch (a clone reads that branch's history
   * instead of the checked-out one's).
   */
  listReleaseProposals(filter?: ProposalFilter): Promise<ReleaseProposal[]>;
}
