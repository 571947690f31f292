/**
 * Runs git in a local clone through simple-git, turning failures into AFF_ERR_RELEASE_GIT errors
 * that carry git's own message. Only raw argument lists are used: every call site reads like the
 * git command it runs.
 */
import { type SimpleGit, simpleGit } from 'simple-git';
import { AffineurError } from '../../src/errors/affineur-error.js';

export interface GitRunner {
  readonly dir: string;
  /** Runs `git <args>` and returns stdout. */
  run(args: readonly string[]): Promise<string>;
  /** Like run, but resolves undefined instead of failing (for "does this exist?" questions). */
  tryRun(args: readonly string[]): Promise<string | undefined>;
}

export function gitRunner(dir: string): GitRunner {
  let git: SimpleGit;
  try {
    git = simpleGit({ baseDir: dir, maxConcurrentProcesses: 4 });
  } catch (cause) {
    throw new AffineurError(
      'AFF_ERR_RELEASE_GIT',
      `cannot use "${dir}" as a git clone: ${(cause as Error).message}`,
      {
        hint: 'Pass --dir with the path of a git clone.',
        cause,
      },
    );
  }
  const run = async (args: readonly string[]) => {
    try {
      return await git.raw([...args]);
    } catch (cause) {
      const detail = (cause as Error).message.trim().split('\n')[0] ?? '';
      throw new AffineurError('AFF_ERR_RELEASE_GIT', `git ${args[0]} failed in ${dir}: ${detail}`, {
        hint: 'Check that --dir is a git clone and that the branch and tags named exist.',
        cause,
      });
    }
  };
  return {
    dir,
    run,
    tryRun: async (args) => {
      try {
        return await git.raw([...args]);
      } catch {
        return undefined;
      }
    },
  };
}
