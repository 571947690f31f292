import type { ConfigFileReader } from '../config/load-repo-config.js';
import type { GitHubClient } from './github-client.js';

/** Reads config files through the contents API (raw media type: one request, no base64). */
export function githubConfigReader(octokit: GitHubClient): ConfigFileReader {
  return async ({ owner, repo, path, ref }) => {
    try {
      const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        owner,
        repo,
        path,
        ...(ref ? { ref } : {}),
        mediaType: { format: 'raw' },
      });
      return typeof response.data === 'string' ? response.data : JSON.stringify(response.data);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  };
}
