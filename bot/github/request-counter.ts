import type { GitHubClient } from './github-client.js';

/**
 * Counts the API requests one event costs, through an Octokit hook on this client only. The
 * figure goes into the "event handled" log line: it is the bot's efficiency, and what eats the
 * installation's rate limit.
 */
export function countRequests(octokit: GitHubClient): { readonly count: number; readonly calls: string[] } {
  const calls: string[] = [];
  octokit.hook.before('request', (options) => {
    calls.push(`${options.method} ${options.url}`);
  });
  return {
    get count() {
      return calls.length;
    },
    calls,
  };
}
