/**
 * The release engine's source and forge over the bot's installation client: the same Octokit
 * (and so the same app token, base URL and request counting) the other handlers use.
 */
import type { Octokit } from '@octokit/rest';
import type { ReleaseForge } from '../../release/apply/release-forge.js';
import type { ReleaseSource } from '../../release/collect/release-source.js';
import { gitHubClientOver, type GitHubClient as ReleaseClient } from '../../release/github/github-client.js';
import { gitHubForge } from '../../release/github/github-forge.js';
import { gitHubSource } from '../../release/github/github-source.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';

export interface ReleaseTarget {
  readonly client: ReleaseClient;
  readonly source: ReleaseSource;
  readonly forge: ReleaseForge;
}

export function releaseTarget(octokit: GitHubClient, repo: RepoRef): ReleaseTarget {
  // Probot's Octokit carries the same REST plugins as @octokit/rest's; only the declared types differ.
  const client = gitHubClientOver(octokit as unknown as Octokit, repo);
  return { client, source: gitHubSource(client), forge: gitHubForge(client) };
}
