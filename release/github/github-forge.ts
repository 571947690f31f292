/**
 * A ReleaseForge over a GitHub-compatible REST API: the release files are committed on their
 * own branch through the git data API (one commit for all files), the "Prepare release" PR is
 * opened, then the annotated tag, the GitHub release, the release branch and the merge-back PR
 * are created. Each method checks what exists first, so re-running changes nothing.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { ReleaseForge } from '../apply/release-forge.js';
import type { GitHubClient } from './github-client.js';

export function gitHubForge(client: GitHubClient): ReleaseForge {
  const { octokit, owner, repo } = client;
  const base = { owner, repo };
  const branchSha = async (name: string) =>
    (
      await client.find(`GET branch ${name}`, () =>
        octokit.rest.git.getRef({ ...base, ref: `heads/${name}` }),
      )
    )?.data.object.sha;
  const fileAt = async (path: string, ref: string) => {
    const response = await client.find(`GET ${path}@${ref}`, () =>
      octokit.rest.repos.getContent({ ...base, path, ref }),
    );
    const data = response?.data;
    if (!data || Array.isArray(data) || !('content' in data)) return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  };

  return {
    capabilities: { pullRequests: true, releases: true },

    async commitFiles(action) {
      let head = await branchSha(action.branch);
      if (head === undefined) {
        const from = await branchSha(action.base);
        if (from === undefined) {
          throw new AffineurError(
            'AFF_ERR_RELEASE_FORGE',
            `base branch ${action.base} does not exist in ${owner}/${repo}.`,
            {
              hint: 'Pass --branch with an existing branch.',
            },
          );
        }
        await client.call(`create branch ${action.branch}`, () =>
          octokit.rest.git.createRef({ ...base, ref: `refs/heads/${action.branch}`, sha: from }),
        );
        head = from;
      }
      const current = await Promise.all(action.files.map((f) => fileAt(f.path, action.branch)));
      if (action.files.every((f, i) => current[i] === f.content)) return 'already-done';
      const parent = await client.call(`GET commit ${head}`, () =>
        octokit.rest.git.getCommit({ ...base, commit_sha: head }),
      );
      const tree = await client.call('create tree', () =>
        octokit.rest.git.createTree({
          ...base,
          base_tree: parent.data.tree.sha,
          tree: action.files.map((f) => ({
            path: f.path,
            mode: '100644' as const,
            type: 'blob' as const,
            content: f.content,
          })),
        }),
      );
      const commit = await client.call('create commit', () =>
        octokit.rest.git.createCommit({
          ...base,
          message: action.message,
          tree: tree.data.sha,
          parents: [head],
        }),
      );
      await client.call(`update branch ${action.branch}`, () =>
        octokit.rest.git.updateRef({ ...base, ref: `heads/${action.branch}`, sha: commit.data.sha }),
      );
      return 'done';
    },

    async openPullRequest(action) {
      const open = await client.call('list pull requests', () =>
        octokit.rest.pulls.list({
          ...base,
          state: 'open',
          head: `${owner}:${action.head}`,
          base: action.base,
        }),
      );
      if (open.data.length > 0) return 'already-done';
      if (action.purpose === 'merge-back') {
        // Nothing to bring back (already merged, or fast-forwarded): there is no PR to open.
        const compared = await client.call(`compare ${action.base}...${action.head}`, () =>
          octokit.rest.repos.compareCommitsWithBasehead({
            ...base,
            basehead: `${action.base}...${action.head}`,
          }),
        );
        if (compared.data.ahead_by === 0) return 'already-done';
      }
      const created = await client.call(`open pull request ${action.head}`, () =>
        octokit.rest.pulls.create({
          ...base,
          head: action.head,
          base: action.base,
          title: action.title,
          body: action.body,
        }),
      );
      if (action.labels.length > 0) {
        await client.call(`label #${created.data.number}`, () =>
          octokit.rest.issues.addLabels({
            ...base,
            issue_number: created.data.number,
            labels: [...action.labels],
          }),
        );
      }
      return 'done';
    },

    async createTag(action) {
      const ref = await client.find(`GET tag ${action.tag}`, () =>
        octokit.rest.git.getRef({ ...base, ref: `tags/${action.tag}` }),
      );
      if (ref) {
        const object = ref.data.object;
        const sha =
          object.type === 'tag'
            ? (
                await client.call(`GET tag ${action.tag}`, () =>
                  octokit.rest.git.getTag({ ...base, tag_sha: object.sha }),
                )
              ).data.object.sha
            : object.sha;
        if (sha === action.sha) return 'already-done';
        throw new AffineurError(
          'AFF_ERR_RELEASE_TAG_CONFLICT',
          `tag ${action.tag} already exists at ${sha.slice(0, 12)}, not at ${action.sha.slice(0, 12)}.`,
          {
            hint: 'Check which commit the release should mark; delete the wrong tag by hand if it is a mistake.',
          },
        );
      }
      const tag = await client.call(`create tag ${action.tag}`, () =>
        octokit.rest.git.createTag({
          ...base,
          tag: action.tag,
          message: action.message,
          object: action.sha,
          type: 'commit',
        }),
      );
      await client.call(`create ref tags/${action.tag}`, () =>
        octokit.rest.git.createRef({ ...base, ref: `refs/tags/${action.tag}`, sha: tag.data.sha }),
      );
      return 'done';
    },

    async createRelease(action) {
      const existing = await client.find(`GET release ${action.tag}`, () =>
        octokit.rest.repos.getReleaseByTag({ ...base, tag: action.tag }),
      );
      if (existing) return 'already-done';
      await client.call(`create release ${action.tag}`, () =>
        octokit.rest.repos.createRelease({
          ...base,
          tag_name: action.tag,
          name: action.name,
          body: action.body,
          prerelease: action.prerelease,
        }),
      );
      return 'done';
    },

    async createBranch(action) {
      if ((await branchSha(action.name)) !== undefined) return 'already-done';
      await client.call(`create branch ${action.name}`, () =>
        octokit.rest.git.createRef({ ...base, ref: `refs/heads/${action.name}`, sha: action.sha }),
      );
      return 'done';
    },
  };
}
