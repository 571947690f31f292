import { AffineurError } from '../../src/errors/affineur-error.js';
import { loadRepoConfig } from '../config/load-repo-config.js';
import type { RepoConfig } from '../config/repo-config-schema.js';
import { reportConfigError } from '../github/config-error-issue.js';
import { githubConfigReader } from '../github/config-file-reader.js';
import type { EventContext } from './event-context.js';

/**
 * Loads the repository's configuration from its default branch (never from a PR: a PR must not
 * change how the bot treats it). When it is invalid, the bot reports it in the configuration
 * error issue and takes no other action: resolves to undefined.
 */
export async function configOrReport(context: EventContext): Promise<RepoConfig | undefined> {
  try {
    return (await loadRepoConfig(githubConfigReader(context.octokit), context.repo)).config;
  } catch (error) {
    if (!(error instanceof AffineurError)) throw error;
    context.log.warn(
      { repo: `${context.repo.owner}/${context.repo.repo}`, err: error },
      'invalid configuration; no actions',
    );
    if (!context.globalDryRun)
      await reportConfigError(context.octokit, context.repo, error.message, context.log);
    return undefined;
  }
}

export const dryRunFor = (context: EventContext, config: RepoConfig) => context.globalDryRun || config.dryRun;
