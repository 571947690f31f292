import type { GitHubClient } from './github-client.js';

const tokenRoute = '/app/installations/{installation_id}/access_tokens';

/**
 * Counts the API requests one event costs, through an Octokit hook on this client only. The
 * figure and the list of calls go into the "event handled" log line: it is the bot's
 * efficiency, and what eats the installation's rate limit.
 */
export function countRequests(octokit: GitHubClient): { readonly count: number; readonly calls: string[] } {
  const calls: string[] = [];
  octokit.hook.before('request', (options) => {
    // Minting the installation token is charged to the app (JWT), not to the installation,
    // and happens about once an hour whatever the events: it is not part of an event's cost.
    if (options.url === tokenRoute) return;
    // Paginated requests carry absolute URLs; the base is the same for every call.
    const url = options.url.startsWith(options.baseUrl)
      ? options.url.slice(options.baseUrl.length)
      : options.url;
    calls.push(`${options.method} ${url}`);
  });
  return {
    get count() {
      return calls.length;
    },
    calls,
  };
}
