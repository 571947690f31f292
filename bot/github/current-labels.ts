import type { GitHubClient, RepoRef } from './github-client.js';

/**
 * The labels an issue or PR has now. A webhook payload holds the labels as they were when the
 * event happened, which can be before the bot's own work on an earlier event of the same item
 * (a comment right after the issue was opened, a push right after the PR was opened). A
 * decision that removes labels must not trust that snapshot, or it leaves stale labels behind.
 */
export async function currentLabels(octokit: GitHubClient, repo: RepoRef, issue: number): Promise<string[]> {
  const labels = await octokit.paginate(octokit.rest.issues.listLabelsOnIssue, {
    ...repo,
    issue_number: issue,
    per_page: 100,
  });
  return labels.map((label) => label.name);
}
