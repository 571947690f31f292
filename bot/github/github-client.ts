import type { ProbotOctokit } from 'probot';

/** An installation-authenticated Octokit, as `probot.auth(installationId)` returns it. */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;

export interface RepoRef {
  owner: string;
  repo: string;
}
