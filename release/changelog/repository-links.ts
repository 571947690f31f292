/**
 * Links in the changelog use the repository's own web host: github.com, a GitHub Enterprise
 * server or the sandbox forge. Everything is derived from one base URL.
 */
export interface RepositoryLinks {
  /** The forge's web root, without a trailing slash: `https://github.com`. */
  readonly host: string;
  /** The repository's web page: `https://github.com/traefik/traefik`. */
  readonly repository: string;
}

export function repositoryLinks(host: string, owner: string, name: string): RepositoryLinks {
  const root = host.replace(/\/+$/, '');
  return { host: root, repository: `${root}/${owner}/${name}` };
}

export const treeUrl = (links: RepositoryLinks, ref: string) => `${links.repository}/tree/${ref}`;
export const pullUrl = (links: RepositoryLinks, n: number) => `${links.repository}/pull/${n}`;
export const commitUrl = (links: RepositoryLinks, sha: string) => `${links.repository}/commit/${sha}`;

/** "All Commits": a compare view, or the tag's history for a first release. */
export function allCommitsUrl(links: RepositoryLinks, previousTag: string | null, tag: string): string {
  return previousTag === null
    ? `${links.repository}/commits/${tag}`
    : `${links.repository}/compare/${previousTag}...${tag}`;
}

/** A user's page; GitHub Apps (`dependabot[bot]`) live under /apps/. */
export function authorUrl(links: RepositoryLinks, login: string): string {
  const app = /^(.+)\[bot\]$/.exec(login);
  return app ? `${links.host}/apps/${app[1]}` : `${links.host}/${login}`;
}
