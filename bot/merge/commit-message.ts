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

export interface CoAuthor {
  name: string;
  email: string;
}

/**
 * Squash and merge commits credit everyone the PR credits: the other authors of its commits and
 * the `Co-authored-by:` trailers of those commits (gathered into `coAuthors`), and the trailers a
 * contributor wrote in the PR description (as lobicornis keeps them). One line per e-mail.
 */
export function buildCommitMessage(
  pr: Pick<PullRequestFacts, 'title' | 'number' | 'body' | 'coAuthors'>,
  method: MergeMethod,
  policy: CommitMessagePolicy,
): CommitMessage {
  const title = `${pr.title.trim()} (#${pr.number})`;
  // Rebase and fast-forward keep the PR's own commits, so there is no message to write.
  if (policy === 'github' || method === 'rebase' || method === 'ff') return { title, body: undefined };
  const credits = uniqueCoAuthors([...pr.coAuthors, ...coAuthorTrailers(pr.body)]);
  const coAuthored = credits.map((a) => `Co-authored-by: ${a.name} <${a.email}>`);
  const description = policy === 'description' ? withoutCoAuthorLines(pr.body).trim() : '';
  const body = [description, coAuthored.join('\n')].filter((part) => part !== '').join('\n\n');
  return { title, body };
}

const trailer = /^\s*co-authored-by:\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/i;

/** The `Co-authored-by: Name <email>` lines of a commit message or PR description. */
export function coAuthorTrailers(text: string): CoAuthor[] {
  const found: CoAuthor[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = trailer.exec(line);
    if (match) found.push({ name: match[1] ?? '', email: match[2] ?? '' });
  }
  return found;
}

/** First mention wins; e-mails compare without case, as git's mailmap does. */
export function uniqueCoAuthors(authors: readonly CoAuthor[]): CoAuthor[] {
  const seen = new Set<string>();
  return authors.filter((a) => {
    const key = a.email.toLowerCase();
    if (a.email === '' || seen.has(key)) return false;
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
