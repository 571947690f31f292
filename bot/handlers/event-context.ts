import type { Logger } from '../../src/log/logger.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';

/** What every event handler gets: an installation client, the repository, and a logger. */
export interface EventContext {
  octokit: GitHubClient;
  repo: RepoRef;
  log: Logger;
  /** Dry run for every repository (`AFFINEUR_DRY_RUN=true`); a repo's own `dryRun` adds to it. */
  globalDryRun: boolean;
  /** The installation the event came from (the merge queue schedules its wake-ups with it). */
  installationId?: number;
}

/** The parts of webhook payloads the handlers read; GitHub sends much more. */
export interface LabelPayload {
  name: string;
}
export interface UserPayload {
  login: string;
  type?: string;
}
export interface IssuePayload {
  number: number;
  title: string;
  labels?: LabelPayload[];
  user: UserPayload | null;
  author_association: string;
  pull_request?: unknown;
}
export interface PullRequestPayload extends IssuePayload {
  milestone: { number: number } | null;
  base: { ref: string };
  head: { sha: string };
  draft?: boolean;
}

export const labelNames = (labels: readonly LabelPayload[] | undefined) => (labels ?? []).map((l) => l.name);
export const isBot = (user: UserPayload | null) =>
  user?.type === 'Bot' || (user?.login ?? '').endsWith('[bot]');
