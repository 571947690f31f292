/**
 * Brings a PR branch up to date with real git, as a maintainer would by hand: fetch both
 * branches, rebase (or merge the base in), and push with a lease on the head sha the bot
 * evaluated, so a contributor's concurrent push is never overwritten. Fast-forward merges of
 * merge-back PRs are pushed here too. The token travels in an HTTP header, never in a URL, so
 * git's own error messages cannot leak it.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type SimpleGit, simpleGit } from 'simple-git';
import { redactText } from '../../src/log/logger.js';
import { diffPatchId } from './patch-id.js';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface BranchLocation {
  /** Clone URL of the repository holding the branch (the fork for fork PRs). */
  url: string;
  ref: string;
}

export interface UpdateRequest {
  base: BranchLocation;
  head: BranchLocation;
  /** The head sha the decision was made on; the push fails if the branch moved since. */
  expectedHeadSha: string;
  strategy: 'rebase' | 'merge-base';
  /** Token for HTTP remotes (installation token); omitted for local paths. */
  token?: string;
  committer: GitIdentity;
  dryRun: boolean;
}

export type UpdateResult =
  /** `sameChanges`: the PR's own diff has the same `git patch-id` as before (rebases and base merges). */
  | { kind: 'updated'; headSha: string; dryRun: boolean; sameChanges?: boolean }
  | { kind: 'already-up-to-date'; headSha: string }
  | { kind: 'head-moved'; headSha: string }
  | { kind: 'conflict'; files: string[] };

export class BranchUpdater {
  readonly #workDir: string;

  /** `workDir` holds one scratch clone per operation, removed afterwards. */
  constructor(workDir: string) {
    this.#workDir = workDir;
  }

  async update(request: UpdateRequest): Promise<UpdateResult> {
    return this.#withClone(request.token, request.committer, async (git) => {
      await git.addRemote('base', request.base.url).addRemote('head', request.head.url);
      await git.fetch('base', `+refs/heads/${request.base.ref}:refs/remotes/base/${request.base.ref}`);
      await git.fetch('head', `+refs/heads/${request.head.ref}:refs/remotes/head/${request.head.ref}`);
      const headSha = (await git.revparse([`refs/remotes/head/${request.head.ref}`])).trim();
      if (headSha !== request.expectedHeadSha) return { kind: 'head-moved', headSha };
      const baseSha = (await git.revparse([`refs/remotes/base/${request.base.ref}`])).trim();
      const mergeBase = (await git.raw(['merge-base', headSha, baseSha])).trim();
      if (mergeBase === baseSha) return { kind: 'already-up-to-date', headSha };

      await git.checkout(['-B', 'work', headSha]);
      const conflict =
        request.strategy === 'rebase'
          ? await rebaseOnto(git, baseSha)
          : await mergeBaseIn(git, baseSha, request.base.ref);
      if (conflict) return conflict;

      const newSha = (await git.revparse(['HEAD'])).trim();
      const push = [
        'push',
        ...(request.dryRun ? ['--dry-run'] : []),
        `--force-with-lease=refs/heads/${request.head.ref}:${request.expectedHeadSha}`,
        'head',
        `${newSha}:refs/heads/${request.head.ref}`,
      ];
      await git.raw(push);
      const [before, after] = await Promise.all([
        diffPatchId(git, mergeBase, headSha),
        diffPatchId(git, baseSha, newSha),
      ]);
      return { kind: 'updated', headSha: newSha, dryRun: request.dryRun, sameChanges: before === after };
    });
  }

  /**
   * Merges a merge-back PR by fast-forwarding the base to the head with plain git: the
   * push is refused by git itself unless it is a fast-forward, so history is never rewritten.
   */
  async fastForward(request: Omit<UpdateRequest, 'strategy'>): Promise<UpdateResult> {
    return this.#withClone(request.token, request.committer, async (git) => {
      await git.addRemote('base', request.base.url).addRemote('head', request.head.url);
      await git.fetch('head', `+refs/heads/${request.head.ref}:refs/remotes/head/${request.head.ref}`);
      const headSha = (await git.revparse([`refs/remotes/head/${request.head.ref}`])).trim();
      if (headSha !== request.expectedHeadSha) return { kind: 'head-moved', headSha };
      await git.raw([
        'push',
        ...(request.dryRun ? ['--dry-run'] : []),
        'base',
        `${headSha}:refs/heads/${request.base.ref}`,
      ]);
      return { kind: 'updated', headSha, dryRun: request.dryRun };
    });
  }

  async #withClone<T>(
    token: string | undefined,
    committer: GitIdentity,
    work: (git: SimpleGit) => Promise<T>,
  ): Promise<T> {
    const dir = join(
      this.#workDir,
      `update-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    await mkdir(dir, { recursive: true });
    const config = [
      `user.name=${committer.name}`,
      `user.email=${committer.email}`,
      'advice.detachedHead=false',
      'sequence.editor=true',
    ];
    if (token) {
      const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
      config.push(`http.extraHeader=Authorization: Basic ${basic}`);
    }
    // The only editor ever set is `true`, so simple-git's guard against editor commands can be lifted.
    const git = simpleGit({ baseDir: dir, config, unsafe: { allowUnsafeEditor: true } });
    try {
      await git.init();
      return await work(git);
    } catch (error) {
      // Git quotes remotes and headers in its errors; make sure nothing secret leaves.
      const message = redactText(error instanceof Error ? error.message : String(error));
      throw new Error(token ? message.replaceAll(token, '[REDACTED]') : message);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

async function rebaseOnto(git: SimpleGit, baseSha: string): Promise<UpdateResult | undefined> {
  try {
    // `--autosquash` needs the interactive machinery on git < 2.44; `sequence.editor=true`
    // (set in #withClone) accepts the generated todo list, so nothing waits for a human.
    await git.raw(['rebase', '-i', '--rebase-merges', '--autosquash', baseSha]);
    return undefined;
  } catch {
    const files = await conflictedFiles(git);
    await git.raw(['rebase', '--abort']).catch(() => undefined);
    return { kind: 'conflict', files };
  }
}

async function mergeBaseIn(
  git: SimpleGit,
  baseSha: string,
  baseRef: string,
): Promise<UpdateResult | undefined> {
  try {
    await git.raw([
      'merge',
      '--no-ff',
      '-m',
      `Merge branch '${baseRef}' into the pull request branch`,
      baseSha,
    ]);
    return undefined;
  } catch {
    const files = await conflictedFiles(git);
    await git.raw(['merge', '--abort']).catch(() => undefined);
    return { kind: 'conflict', files };
  }
}

async function conflictedFiles(git: SimpleGit): Promise<string[]> {
  const out = await git.raw(['diff', '--name-only', '--diff-filter=U']).catch(() => '');
  return out.split('\n').filter((line) => line !== '');
}
