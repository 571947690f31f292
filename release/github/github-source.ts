/**
 * A ReleaseSource over a GitHub-compatible REST API. Pull requests give the changelog its
 * entries and labels; releases and annotated tags give the codename history.
 *
 * Cost: annotated tag messages take one request each, so only the newest tag of each release
 * line is read (that is where a line's codename lives); merged pull requests are found by
 * paging closed PRs of the branch, newest first, until they predate the previous tag.
 */

import type { MergedPullRequest } from '../changelog/changelog-entry.js';
import type { CommitFact } from '../changelog/changelog-from-commits.js';
import { repositoryLinks } from '../changelog/repository-links.js';
import type { PublishedRelease, ReleaseProposal, ReleaseSource, TagFact } from '../collect/release-source.js';
import { compareVersions, parseVersion, releaseLine } from '../version/version.js';
import type { GitHubClient } from './github-client.js';

export interface GitHubSourceOptions {
  /** The forge's web root for links, when the API's `html_url` is not the public one. */
  readonly serverUrl?: string | undefined;
  /** How many recently updated closed pull requests the unfinished-release sweep reads. */
  readonly maxScannedPullRequests?: number | undefined;
}

const defaultMaxScannedPullRequests = 300;

interface ClosedPull {
  readonly number: number;
  readonly title: string;
  readonly merged_at: string | null;
  readonly merge_commit_sha: string | null;
  readonly head: { readonly ref: string };
  readonly base: { readonly ref: string };
}

export function gitHubSource(client: GitHubClient, options: GitHubSourceOptions = {}): ReleaseSource {
  const { octokit, owner, repo } = client;
  const base = { owner, repo };
  const repository = () =>
    client.call('GET repository', () => octokit.rest.repos.get(base)).then((r) => r.data);

  interface RangeCommit extends CommitFact {
    readonly committedAt: string | undefined;
  }
  type ApiCommit = { sha: string; commit: { message: string; committer?: { date?: string } | null } };
  const rangeCommit = (c: ApiCommit): RangeCommit => ({
    sha: c.sha,
    message: c.commit.message,
    committedAt: c.commit.committer?.date ?? undefined,
  });

  const commitsInRange = async (since: string | null, ref: string): Promise<RangeCommit[]> => {
    if (since === null) {
      const commits = await client.call('list commits', () =>
        octokit.paginate(octokit.rest.repos.listCommits, { ...base, sha: ref, per_page: 100 }),
      );
      return commits.map(rangeCommit);
    }
    const compared = await client.call(`compare ${since}...${ref}`, () =>
      octokit.paginate(octokit.rest.repos.compareCommitsWithBasehead, {
        ...base,
        basehead: `${since}...${ref}`,
        per_page: 100,
      }),
    );
    // The compare API lists oldest first and pages through `commits`; we want newest first.
    const commits = (compared as unknown as { commits?: ApiCommit[] }[]).flatMap(
      (page) => page.commits ?? [],
    );
    return commits.map(rangeCommit).reverse();
  };

  const commitsSince = async (since: string | null, ref: string): Promise<CommitFact[]> =>
    (await commitsInRange(since, ref)).map(({ sha, message }) => ({ sha, message }));

  return {
    links: async () => {
      const data = await repository();
      const root = options.serverUrl ?? data.html_url.slice(0, -`/${data.full_name}`.length);
      return repositoryLinks(root, owner, repo);
    },
    defaultBranch: async () => (await repository()).default_branch,
    currentBranch: async () => (await repository()).default_branch,

    listTags: async () => {
      const refs = await client.call('list tags', () =>
        octokit.paginate(octokit.rest.git.listMatchingRefs, { ...base, ref: 'tags/', per_page: 100 }),
      );
      const tags = refs.map((r) => ({
        name: r.ref.replace(/^refs\/tags\//, ''),
        object: r.object,
      }));
      // Newest tag of each release line: the one whose message may carry the line's codename.
      const newestOfLine = new Map<
        string,
        { name: string; version: NonNullable<ReturnType<typeof parseVersion>> }
      >();
      for (const tag of tags) {
        const version = parseVersion(tag.name);
        if (!version) continue;
        const line = releaseLine(version);
        const best = newestOfLine.get(line);
        if (!best || compareVersions(version, best.version) > 0)
          newestOfLine.set(line, { name: tag.name, version });
      }
      const readMessages = new Set([...newestOfLine.values()].map((t) => t.name));
      return Promise.all(
        tags.map(async (tag): Promise<TagFact> => {
          if (tag.object.type !== 'tag') return { name: tag.name, sha: tag.object.sha };
          const annotated = await client.call(`GET tag ${tag.name}`, () =>
            octokit.rest.git.getTag({ ...base, tag_sha: tag.object.sha }),
          );
          return {
            name: tag.name,
            sha: annotated.data.object.sha,
            message: readMessages.has(tag.name) ? annotated.data.message : undefined,
          };
        }),
      );
    },

    listTagNames: async () => {
      const refs = await client.call('list tags', () =>
        octokit.paginate(octokit.rest.git.listMatchingRefs, { ...base, ref: 'tags/', per_page: 100 }),
      );
      return refs.map((r) => r.ref.replace(/^refs\/tags\//, ''));
    },

    listReleases: async (): Promise<PublishedRelease[]> => {
      const releases = await client.call('list releases', () =>
        octokit.paginate(octokit.rest.repos.listReleases, { ...base, per_page: 100 }),
      );
      return releases.map((r) => ({ tagName: r.tag_name, title: r.name ?? '' }));
    },

    listBranches: async () => {
      const branches = await client.call('list branches', () =>
        octokit.paginate(octokit.rest.repos.listBranches, { ...base, per_page: 100 }),
      );
      return branches.map((b) => b.name);
    },

    resolveCommit: async (ref) =>
      (await client.call(`GET commit ${ref}`, () => octokit.rest.repos.getCommit({ ...base, ref }))).data.sha,

    readFile: async (path, ref) => {
      const response = await client.find(`GET ${path}@${ref}`, () =>
        octokit.rest.repos.getContent({ ...base, path, ref }),
      );
      const data = response?.data;
      if (!data || Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
      return Buffer.from(data.content, 'base64').toString('utf8');
    },

    commitsSince,

    mergedPullRequestsSince: async (since, ref) => {
      const commits = await commitsInRange(since, ref);
      const inRange = new Set(commits.map((c) => c.sha));
      // A PR merged into the range was last updated at or after its merge commit, so paging
      // (newest update first) stops below the oldest commit of the range. Not the previous tag's
      // date: on the default branch, the previous tag may be a later patch of a release branch.
      const sinceDate =
        since === null
          ? undefined
          : commits.reduce<string | undefined>(
              (oldest, c) =>
                c.committedAt !== undefined && (oldest === undefined || c.committedAt < oldest)
                  ? c.committedAt
                  : oldest,
              undefined,
            );
      if (since !== null && commits.length === 0) return [];
      const merged: MergedPullRequest[] = [];
      await client.call('list pull requests', () =>
        octokit.paginate(
          octokit.rest.pulls.list,
          { ...base, state: 'closed', base: ref, sort: 'updated', direction: 'desc', per_page: 100 },
          (response, done) => {
            for (const pr of response.data) {
              if (sinceDate !== undefined && pr.updated_at < sinceDate) {
                done();
                break;
              }
              if (!pr.merged_at || !pr.merge_commit_sha || !inRange.has(pr.merge_commit_sha)) continue;
              merged.push({
                number: pr.number,
                title: pr.title,
                author: pr.user?.login ?? 'ghost',
                labels: pr.labels.map((l) => l.name ?? '').filter((l) => l !== ''),
                mergedAt: pr.merged_at,
                headRef: pr.head.ref,
                baseRef: pr.base.ref,
                mergeCommitSha: pr.merge_commit_sha,
              });
            }
            return [];
          },
        ),
      );
      return merged;
    },

    listReleaseProposals: async (filter) => {
      const proposalOf = (pr: ClosedPull): ReleaseProposal[] => {
        const tag = /^Prepare release (v\S+)$/.exec(pr.title.trim())?.[1];
        if (!tag || !pr.merged_at || !pr.merge_commit_sha || !pr.head.ref.startsWith('release/')) return [];
        if (filter?.version !== undefined && tag !== filter.version) return [];
        if (filter?.branch !== undefined && pr.base.ref !== filter.branch) return [];
        return [{ tag, sha: pr.merge_commit_sha, pullRequest: pr.number, branch: pr.base.ref }];
      };
      if (filter?.version !== undefined) {
        // `prepare` opens the proposal from `release/<version>`: one filtered request finds it
        // whatever its age.
        const head = `${owner}:release/${filter.version}`;
        const prs = await client.call(`list pull requests from ${head}`, () =>
          octokit.paginate(octokit.rest.pulls.list, { ...base, state: 'closed', head, per_page: 100 }),
        );
        return prs.flatMap(proposalOf);
      }
      // The sweep: the most recently updated closed pull requests, a bounded number of pages. A
      // merged proposal is finished within minutes (on merge, else on the next sweep), so it is
      // always near the top; an older one is published with `--version`.
      const proposals: ReleaseProposal[] = [];
      let scanned = 0;
      await client.call('list release pull requests', () =>
        octokit.paginate(
          octokit.rest.pulls.list,
          { ...base, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100 },
          (response, done) => {
            for (const pr of response.data) proposals.push(...proposalOf(pr));
            scanned += response.data.length;
            if (scanned >= (options.maxScannedPullRequests ?? defaultMaxScannedPullRequests)) done();
            return [];
          },
        ),
      );
      return proposals;
    },
  };
}
