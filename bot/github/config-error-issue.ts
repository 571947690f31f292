/**
 * When the default branch's `.github/affineur.yml` is invalid the bot does nothing on that
 * repository, and says why in one issue: created once, updated when the problems change,
 * closed when the file is fixed.
 */
import type { Logger } from '../../src/log/logger.js';
import type { GitHubClient, RepoRef } from './github-client.js';

export const configErrorIssueTitle = 'affineur: configuration error';

export async function reportConfigError(
  octokit: GitHubClient,
  repo: RepoRef,
  problems: string,
  log: Pick<Logger, 'info'>,
): Promise<void> {
  const body = [
    'affineur found problems in this repository’s configuration, so it is taking **no actions** here until they are fixed:',
    '',
    '```',
    problems,
    '```',
    '',
    'The schema (with a description of every key) is `schema/affineur.schema.json` in the affineur repository. This issue is closed automatically once the configuration on the default branch is valid.',
  ].join('\n');
  const existing = await findOpenIssue(octokit, repo);
  if (!existing) {
    await octokit.rest.issues.create({ ...repo, title: configErrorIssueTitle, body });
    log.info({ repo: `${repo.owner}/${repo.repo}` }, 'opened the configuration error issue');
  } else if (existing.body !== body) {
    await octokit.rest.issues.update({ ...repo, issue_number: existing.number, body });
    log.info(
      { repo: `${repo.owner}/${repo.repo}`, issue: existing.number },
      'updated the configuration error issue',
    );
  }
}

export async function closeConfigErrorIssue(octokit: GitHubClient, repo: RepoRef): Promise<void> {
  const existing = await findOpenIssue(octokit, repo);
  if (!existing) return;
  await octokit.rest.issues.createComment({
    ...repo,
    issue_number: existing.number,
    body: 'The configuration is valid again; affineur is back at work on this repository.',
  });
  await octokit.rest.issues.update({ ...repo, issue_number: existing.number, state: 'closed' });
}

async function findOpenIssue(octokit: GitHubClient, repo: RepoRef) {
  const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
    ...repo,
    state: 'open',
    per_page: 100,
  });
  return issues.find((issue) => issue.title === configErrorIssueTitle && !issue.pull_request);
}
