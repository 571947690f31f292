/**
 * Which files of a PR conflict with its base. GitHub only says `mergeable: false`; a maintainer
 * handed the PR wants the files, so the bot asks git itself: `git merge-tree --write-tree`
 * (git 2.38+) merges in memory, without a work tree, and names the conflicted paths. Best effort:
 * any failure answers an empty list and the condition simply names no files.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ConflictQuery {
  /** Clone URL of the base repository; `refs/pull/N/head` lives there for forks too. */
  cloneUrl: string;
  baseRef: string;
  number: number;
  /** Installation token; omitted for local paths. */
  token: string | undefined;
}

function git(dir: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: dir,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
        },
      },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (code < 0) reject(error);
        else resolve({ code, stdout });
      },
    );
  });
}

export async function conflictingFiles(query: ConflictQuery): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'affineur-conflicts-'));
  try {
    const auth = query.token
      ? [
          '-c',
          `http.extraHeader=Authorization: Basic ${Buffer.from(`x-access-token:${query.token}`).toString('base64')}`,
        ]
      : [];
    if ((await git(dir, ['init', '--quiet', '--bare'])).code !== 0) return [];
    const fetched = await git(dir, [
      ...auth,
      'fetch',
      '--quiet',
      '--no-tags',
      query.cloneUrl,
      `+refs/heads/${query.baseRef}:refs/base`,
      `+refs/pull/${query.number}/head:refs/head`,
    ]);
    if (fetched.code !== 0) return [];
    // Exit status 1 means "conflicts"; the first line is the tree, the names follow.
    const merged = await git(dir, [
      'merge-tree',
      '--write-tree',
      '--name-only',
      '--no-messages',
      'refs/base',
      'refs/head',
    ]);
    if (merged.code !== 1) return [];
    return [
      ...new Set(
        merged.stdout
          .split('\n')
          .slice(1)
          .filter((line) => line !== ''),
      ),
    ];
  } catch {
    return [];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
