/**
 * The Octokit client the GitHub source and forge share, pointed at any GitHub-compatible API:
 * api.github.com, a GitHub Enterprise server (`https://ghe.example.com/api/v3`) or the sandbox
 * forge. Failures become AFF_ERR_RELEASE_FORGE errors that name the request and status but
 * never the token.
 */
import { Octokit } from '@octokit/rest';
import { AffineurError } from '../../src/errors/affineur-error.js';
import { redactText } from '../../src/log/logger.js';

export interface GitHubTarget {
  readonly owner: string;
  readonly repo: string;
  readonly token?: string | undefined;
  /** The REST API root; https://api.github.com by default. */
  readonly apiUrl?: string | undefined;
}

export interface GitHubClient {
  readonly octokit: Octokit;
  readonly owner: string;
  readonly repo: string;
  /** Runs one API call, turning its failure into a catalogued error. */
  call<T>(what: string, request: () => Promise<T>): Promise<T>;
  /** Like call, but a 404 resolves undefined: "does this exist?" questions. */
  find<T>(what: string, request: () => Promise<T>): Promise<T | undefined>;
}

export function gitHubClient(target: GitHubTarget): GitHubClient {
  const octokit = new Octokit({
    auth: target.token,
    baseUrl: (target.apiUrl ?? 'https://api.github.com').replace(/\/+$/, ''),
    userAgent: 'affineur-release',
    // Octokit's request log prints every failed request to the console, the expected 404s of
    // "does this exist?" lookups included; failures reach the user once, as catalogued errors.
    log: { debug: () => {}, info: () => {}, warn: console.warn, error: () => {} },
  });
  return gitHubClientOver(octokit, target);
}

/**
 * The same client over an Octokit someone else authenticated: the bot passes its installation
 * client, so releases use the app's token and the queue's retry rules.
 */
export function gitHubClientOver(
  octokit: Octokit,
  target: Pick<GitHubTarget, 'owner' | 'repo'>,
): GitHubClient {
  const fail = (what: string, cause: unknown): never => {
    const status = (cause as { status?: number }).status;
    const message = redactText((cause as Error).message ?? String(cause));
    throw new AffineurError(
      'AFF_ERR_RELEASE_FORGE',
      `${what} in ${target.owner}/${target.repo} failed${status ? ` (HTTP ${status})` : ''}: ${message}`,
      {
        hint: 'Check --repo, --api-url and that the token may write contents and pull requests.',
        cause,
      },
    );
  };
  return {
    octokit,
    owner: target.owner,
    repo: target.repo,
    call: async (what, request) => {
      try {
        return await request();
      } catch (cause) {
        return fail(what, cause);
      }
    },
    find: async (what, request) => {
      try {
        return await request();
      } catch (cause) {
        if ((cause as { status?: number }).status === 404) return undefined;
        return fail(what, cause);
      }
    },
  };
}
