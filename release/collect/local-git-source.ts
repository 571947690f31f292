/**
 * A ReleaseSource over a local git clone. A clone has tags, commits and files but no pull
 * requests or GitHub releases: the changelog comes from conventional commits, codenames from
 * annotated tag messages and release/codenames.json, and accepted proposals are the
 * "Prepare release vX.Y.Z" commits.
 */

import { AffineurError } from '../../src/errors/affineur-error.js';
import type { CommitFact } from '../changelog/changelog-from-commits.js';
import type { RepositoryLinks } from '../changelog/repository-links.js';
import { repositoryLinks } from '../changelog/repository-links.js';
import { type GitRunner, gitRunner } from '../git/git-runner.js';
import type { PublishedRelease, ReleaseProposal, ReleaseSource, TagFact } from './release-source.js';

export interface LocalGitSourceOptions {
  readonly dir: string;
  /** `owner/name`, when the clone's `origin` remote does not say (or says something else). */
  readonly repo?: string | undefined;
  /** The forge's web root for links; defaults to the origin remote's host over https. */
  readonly serverUrl?: string | undefined;
}

// Field and record separators that cannot appear in commit messages typed by people.
const FIELD = '\u001f';
const RECORD = '\u001e';

export function localGitSource(options: LocalGitSourceOptions): ReleaseSource & { readonly git: GitRunner } {
  const git = gitRunner(options.dir);

  return {
    git,
    links: () => linksFromRemote(git, options),
    defaultBranch: async () => {
      const remoteHead = await git.tryRun(['symbolic-ref', '--short', 'refs/remotes/origin/HEAD']);
      if (remoteHead) return remoteHead.trim().replace(/^origin\//, '');
      const configured = await git.tryRun(['config', '--get', 'init.defaultBranch']);
      const branches = (await git.run(['branch', '--format=%(refname:short)'])).split('\n');
      for (const name of [configured?.trim(), 'main', 'master']) {
        if (name && branches.includes(name)) return name;
      }
      return (await git.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
    },
    currentBranch: async () => (await git.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim(),
    listTags: async () => {
      // %(*objectname) is the commit an annotated tag points at; empty for lightweight tags.
      const out = await git.run([
        'for-each-ref',
        'refs/tags',
        `--format=%(refname:short)${FIELD}%(objectname)${FIELD}%(*objectname)${FIELD}%(objecttype)${FIELD}%(contents)${RECORD}`,
      ]);
      return records(out).flatMap((fields): TagFact[] => {
        const [name, object, peeled, type, message] = fields;
        if (!name || !object) return [];
        const annotated = type === 'tag';
        return [
          {
            name,
            sha: annotated && peeled ? peeled : object,
            message: annotated ? message?.trim() : undefined,
          },
        ];
      });
    },
    listTagNames: async () =>
      (await git.run(['for-each-ref', 'refs/tags', '--format=%(refname:short)']))
        .split('\n')
        .filter((t) => t !== ''),
    listReleases: async (): Promise<PublishedRelease[]> => [],
    listBranches: async () =>
      (await git.run(['branch', '--format=%(refname:short)'])).split('\n').filter((b) => b.trim() !== ''),
    resolveCommit: async (ref) => (await git.run(['rev-parse', '--verify', `${ref}^{commit}`])).trim(),
    readFile: async (path, ref) => git.tryRun(['show', `${ref}:${path}`]),
    commitsSince: async (since, ref) => {
      const range = since === null ? ref : `${since}..${ref}`;
      const out = await git.run(['log', '--no-merges', `--format=%H${FIELD}%B${RECORD}`, range]);
      return records(out).flatMap(([sha, message]): CommitFact[] =>
        sha ? [{ sha, message: message ?? '' }] : [],
      );
    },
    mergedPullRequestsSince: async () => undefined,
    listReleaseProposals: async (filter) => {
      const branch = filter?.branch ?? (await git.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
      // Only one branch (the checked-out one by default): a proposal on another branch is that
      // branch's business. `--end-of-options` keeps a branch name from being read as an option.
      const out = await git.run([
        'log',
        `--format=%H${FIELD}%s${RECORD}`,
        '--grep=^Prepare release v',
        '--end-of-options',
        filter?.branch === undefined ? 'HEAD' : `refs/heads/${filter.branch}`,
      ]);
      return records(out).flatMap(([sha, subject]): ReleaseProposal[] => {
        const tag = /^Prepare release (v\S+)$/.exec(subject ?? '')?.[1];
        if (filter?.version !== undefined && tag !== filter.version) return [];
        return sha && tag ? [{ tag, sha, branch }] : [];
      });
    },
  };
}

function records(out: string): string[][] {
  return out
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ''))
    .filter((r) => r.trim() !== '')
    .map((r) => r.split(FIELD));
}

async function linksFromRemote(git: GitRunner, options: LocalGitSourceOptions): Promise<RepositoryLinks> {
  const remote = (await git.tryRun(['remote', 'get-url', 'origin']))?.trim();
  const parsed = remote ? parseRemoteUrl(remote) : undefined;
  const slug = options.repo ?? (parsed ? `${parsed.owner}/${parsed.name}` : undefined);
  const [owner, name] = slug?.split('/') ?? [];
  const host = options.serverUrl ?? parsed?.root;
  if (!owner || !name || !host) {
    throw new AffineurError(
      'AFF_ERR_CLI_BAD_ARGUMENT',
      `cannot tell which repository ${git.dir} is: it has no usable "origin" remote.`,
      { hint: 'Pass --repo owner/name (and --server-url https://host for links outside github.com).' },
    );
  }
  return repositoryLinks(host, owner, name);
}

/**
 * Reads `https://host/owner/name(.git)`, `git@host:owner/name(.git)` and `ssh://git@host/owner/name`
 * into the web root links should use: the same scheme for http(s) remotes, https for ssh ones.
 */
export function parseRemoteUrl(url: string): { root: string; owner: string; name: string } | undefined {
  const scp = /^[\w.-]+@([\w.-]+):([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  if (scp?.[1] && scp[2] && scp[3]) return { root: `https://${scp[1]}`, owner: scp[2], name: scp[3] };
  try {
    const parsed = new URL(url);
    const [owner, name] = parsed.pathname
      .replace(/^\/+/, '')
      .replace(/\.git\/?$/, '')
      .split('/')
      .slice(-2);
    if (!owner || !name) return undefined;
    const scheme = parsed.protocol === 'http:' ? 'http:' : 'https:';
    return { root: `${scheme}//${parsed.host}`, owner, name };
  } catch {
    return undefined;
  }
}
