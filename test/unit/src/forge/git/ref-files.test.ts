import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRefFile } from '../../../../../src/forge/git/ref-files.js';
import { gitEnv } from '../../../../../src/forge/git/run-git.js';

describe('readRefFile', () => {
  let dir: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: dir,
      env: gitEnv({
        GIT_AUTHOR_NAME: 'a',
        GIT_AUTHOR_EMAIL: 'a@b',
        GIT_COMMITTER_NAME: 'a',
        GIT_COMMITTER_EMAIL: 'a@b',
      }),
    })
      .toString()
      .trim();
  let first: string;
  let second: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'affineur-ref-files-'));
    git('init', '--bare', '--quiet', '--initial-branch=main', '.');
    const tree = git('hash-object', '-t', 'tree', '-w', '/dev/null');
    first = git('commit-tree', tree, '-m', 'first');
    second = git('commit-tree', tree, '-p', first, '-m', 'second');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads loose refs, then packed ones, as git rev-parse does', async () => {
    git('update-ref', 'refs/heads/main', first);
    git('update-ref', 'refs/pull/1/head', second);
    expect(await readRefFile(dir, 'refs/heads/main')).toBe(first);
    git('pack-refs', '--all');
    expect(await readRefFile(dir, 'refs/heads/main')).toBe(first);
    expect(await readRefFile(dir, 'refs/pull/1/head')).toBe(second);
    // A loose ref written after packing wins over the packed value.
    git('update-ref', 'refs/heads/main', second);
    expect(await readRefFile(dir, 'refs/heads/main')).toBe(second);
    git('update-ref', '-d', 'refs/pull/1/head');
    expect(await readRefFile(dir, 'refs/pull/1/head')).toBeNull();
    expect(await readRefFile(dir, 'refs/heads/nope')).toBeNull();
  });

  it('leaves anything unusual to git', async () => {
    git('symbolic-ref', 'refs/heads/alias', 'refs/heads/main');
    expect(await readRefFile(dir, 'refs/heads/alias')).toBeUndefined();
    expect(await readRefFile(dir, 'HEAD')).toBeUndefined();
    expect(await readRefFile(dir, 'refs/heads/../../config')).toBeUndefined();
    expect(await readRefFile(dir, 'refs/heads/.hidden')).toBeUndefined();
    expect(await readRefFile(dir, 'main')).toBeUndefined();
  });
});
