import type { MergeMethod } from './merge-settings.js';
import type { PullRequestFacts } from './pull-request-facts.js';

/**
 * `empty`: only Co-authored-by lines, the Go proxy project's choice for squash merges;
 * `description`: the PR description; `github`: whatever GitHub writes by default.
 */
export type CommitMessagePolicy = 'empty' | 'description' | 'github';

export interface CommitMessage {
  title: string;
  /** Undefined leaves the message to GitHub. */
  body: string | undefined;
}

export function buildCommitMessage(
  pr: Pick<PullRequestFacts, 'title' | 'number' | 'body' | 'coAuthors'>,
  method: MergeMethod,
  policy: CommitMessagePolicy,
): CommitMessage {
  const title = `${pr.title.trim()} (#${pr.number})`;
  // Rebase and fast-forward keep the PR's own commits, so there is no message to write.
  if (policy === 'github' || method === 'rebase' || method === 'ff') return { title, body: undefined };
  const coAuthored = uniqueCoAuthors(pr.coAuthors).map((a) => `Co-authored-by: ${a.name} <${a.email}>`);
  const description = policy === 'description' ? withoutCoAuthorLines(pr.body).trim() : '';
  const body = [description, coAuthored.join('\n')].filter((part) => part !== '').join('\n\n');
  return { title, body };
}

function uniqueCoAuthors(authors: PullRequestFacts['coAuthors']) {
  const seen = new Set<string>();
  return authors.filter((a) => {
    const key = a.email.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function withoutCoAuthorLines(body: string): string {
  return body
    .split(/\r?\n/)
    .filter((line) => !/^co-authored-by:/i.test(line.trim()))
    .join('\n');
}
