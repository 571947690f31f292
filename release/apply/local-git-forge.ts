/**
 * A ReleaseForge over a local clone: commits, annotated tags and branches. A clone has no pull
 * requests or GitHub releases, and says so in its capabilities, so plans for it never ask for
 * them; the annotated tag carries the release name and codename instead.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { GitRunner } from '../git/git-runner.js';
import type { ReleaseForge } from './release-forge.js';

export function localGitForge(git: GitRunner): ReleaseForge {
  // `rev-parse -q --verify` prints nothing (and no error) for a missing ref.
  const refSha = async (ref: string) => {
    const sha = (await git.tryRun(['rev-parse', '-q', '--verify', ref]))?.trim();
    return sha === '' ? undefined : sha;
  };
  const noSuch = (what: string): never => {
    throw new TypeError(`a local clone has no ${what}; plans for it never ask for one`);
  };

  return {
    capabilities: { pullRequests: false, releases: false },

    async commitFiles(action) {
      const current = (await git.run(['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
      if (current !== action.branch) {
        throw new AffineurError(
          'AFF_ERR_RELEASE_GIT',
          `the release commit belongs on ${action.branch}, but ${git.dir} has ${current} checked out.`,
          { hint: `Run \`git checkout ${action.branch}\` first, or pass --branch ${current}.` },
        );
      }
      const unchanged = await Promise.all(
        action.files.map(async (f) => (await git.tryRun(['show', `HEAD:${f.path}`])) === f.content),
      );
      if (unchanged.every(Boolean)) return 'already-done';
      for (const file of action.files) {
        const path = join(git.dir, file.path);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.content);
      }
      const paths = action.files.map((f) => f.path);
      await git.run(['add', '--', ...paths]);
      // Pathspec: only the release files are committed, whatever else is staged.
      await git.run(['commit', '-m', action.message, '--', ...paths]);
      return 'done';
    },

    async createTag(action) {
      const existing = await refSha(`refs/tags/${action.tag}^{commit}`);
      if (existing !== undefined) {
        if (existing === action.sha) return 'already-done';
        throw new AffineurError(
          'AFF_ERR_RELEASE_TAG_CONFLICT',
          `tag ${action.tag} already exists at ${existing.slice(0, 12)}, not at ${action.sha.slice(0, 12)}.`,
          {
            hint: 'Check which commit the release should mark; delete the wrong tag by hand if it is a mistake.',
          },
        );
      }
      await git.run(['tag', '-a', action.tag, '-m', action.message, action.sha]);
      return 'done';
    },

    async createBranch(action) {
      if ((await refSha(`refs/heads/${action.name}`)) !== undefined) return 'already-done';
      await git.run(['branch', action.name, action.sha]);
      return 'done';
    },

    openPullRequest: async () => noSuch('pull requests'),
    createRelease: async () => noSuch('GitHub releases'),
  };
}
