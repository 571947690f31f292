/**
 * Whether a branch update kept a PR's own changes as they were: the `git patch-id --stable` of
 * the PR's whole diff before and after. Unlike a tree comparison, this ignores what the base
 * brought in and sees any change to what the PR itself does, which is what a reviewer approved.
 */
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { SimpleGit } from 'simple-git';

/** The patch id of `git diff from to` in a clone; '' for an empty diff. */
export async function diffPatchId(git: SimpleGit, from: string, to: string): Promise<string> {
  const diff = await git.raw(['diff', '--no-color', '--no-ext-diff', '--full-index', from, to]);
  if (diff === '') return '';
  return patchIdOf(diff);
}

/** `git patch-id --stable` of a diff text; it needs no repository. */
export function patchIdOf(diff: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['patch-id', '--stable'], {
      cwd: tmpdir(),
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`git patch-id exited with ${code}: ${err.trim()}`));
      else resolve(out.split(/\s+/)[0] ?? '');
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(diff);
  });
}
