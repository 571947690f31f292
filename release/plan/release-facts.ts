import type { MergedPullRequest } from '../changelog/changelog-entry.js';
import type { CommitFact } from '../changelog/changelog-from-commits.js';
import type { RepositoryLinks } from '../changelog/repository-links.js';
import type { PublishedRelease, TagFact } from '../collect/release-source.js';

/** Everything the plan decides from, collected beforehand. Plain data: tests write it by hand. */
export interface ReleaseFacts {
  readonly links: RepositoryLinks;
  readonly defaultBranch: string;
  /** The branch the release is cut from. */
  readonly branch: string;
  readonly headSha: string;
  readonly branches: readonly string[];
  readonly tags: readonly TagFact[];
  readonly releases: readonly PublishedRelease[];
  readonly previousTag: string | null;
  /** Commits since the previous tag, newest first. */
  readonly commits: readonly CommitFact[];
  /** Pull requests merged since the previous tag; undefined when the source has no PR data. */
  readonly pullRequests: readonly MergedPullRequest[] | undefined;
  /**
   * The whole line's history, collected when the previous tag is a candidate (`v3.3.0-rc.2`):
   * if the plan turns out to be the final `v3.3.0`, its section lists everything since the
   * previous line (`since`, its newest tag), candidates included, as Traefik's does.
   */
  readonly wholeLine?: WholeLineFacts | undefined;
  /** CHANGELOG.md and release/codenames.json on the branch, when they exist. */
  readonly changelog: string | undefined;
  readonly codenames: string | undefined;
  /** package.json on the branch, when the repository has one: its version follows releases. */
  readonly packageJson?: string | undefined;
  /** The release date, YYYY-MM-DD in UTC: the clock is an input like any other. */
  readonly date: string;
}

/** What the forge a plan is carried out on can do: a plain git clone has no PRs or releases. */
export interface ForgeCapabilities {
  readonly pullRequests: boolean;
  readonly releases: boolean;
}

export interface WholeLineFacts {
  /** The newest tag of the older lines, or null when the line is the repository's first. */
  readonly since: string | null;
  readonly commits: readonly CommitFact[];
  readonly pullRequests: readonly MergedPullRequest[] | undefined;
}
