/**
 * Runs the real `git` binary. Every forge git operation goes through here so that the
 * environment is always the same: no user or system config leaking in, no prompts, and a
 * fixed identity unless the caller gives one.
 */
import { spawn } from 'node:child_process';
import { AffineurError } from '../../errors/affineur-error.js';
import { redactText } from '../../log/logger.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitOptions {
  cwd: string;
  input?: string | Buffer;
  env?: Record<string, string>;
  /** Exit codes that are answers rather than failures (e.g. 1 from `merge-tree` on conflicts). */
  okCodes?: number[];
}

/** The environment every git child gets: isolated from the machine's git config. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    ...extra,
  };
}

export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd, env: gitEnv(options.env) });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (cause) =>
      reject(
        new AffineurError('AFF_ERR_FORGE_GIT', `could not run git ${args[0]}.`, {
          hint: 'Install git 2.38 or newer and make sure it is on the PATH.',
          cause,
        }),
      ),
    );
    child.on('close', (code) => {
      const result = {
        code: code ?? 1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (result.code === 0 || options.okCodes?.includes(result.code)) resolve(result);
      else
        reject(
          new AffineurError(
            'AFF_ERR_FORGE_GIT',
            `git ${args.join(' ')} failed in ${options.cwd} (exit ${result.code}): ${redactText(result.stderr.trim())}`,
          ),
        );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
