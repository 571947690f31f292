/** Real git repositories in a temp dir: bare "GitHub" remotes, a contributor clone, the bot's updater. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { BranchUpdater } from '../../../../bot/merge/branch-updater.js';

const root = mkdtempSync(join(tmpdir(), 'affineur-updater-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Alice',
  GIT_AUTHOR_EMAIL: 'alice@example.com',
  GIT_COMMITTER_NAME: 'Alice',
  GIT_COMMITTER_EMAIL: 'alice@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

let n = 0;
let origin: string;
let work: string;
const updater = new BranchUpdater(join(root, 'bot-work'));
const committer = { name: 'affineur[bot]', email: 'bot@affineur.invalid' };

function commitFile(dir: string, file: string, content: string, message: string) {
  writeFileSync(join(dir, file), content);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', message);
  return git(dir, 'rev-parse', 'HEAD');
}

beforeEach(() => {
  n++;
  origin = join(root, `origin-${n}.git`);
  work = join(root, `work-${n}`);
  git(root, 'init', '-q', '--bare', '-b', 'main', origin);
  git(root, 'clone', '-q', origin, work);
  git(work, 'checkout', '-q', '-b', 'main');
  commitFile(work, 'README.md', 'hello\n', 'initial');
  git(work, 'push', '-q', 'origin', 'main');
  git(work, 'checkout', '-q', '-b', 'feature');
  commitFile(work, 'feature.txt', 'one\n', 'feat: one');
  commitFile(work, 'feature.txt', 'one\ntwo\n', 'fixup! feat: one');
  git(work, 'push', '-q', 'origin', 'feature');
  git(work, 'checkout', '-q', 'main');
  commitFile(work, 'base.txt', 'base moved\n', 'chore: base moves');
  git(work, 'push', '-q', 'origin', 'main');
});

const headOf = (ref: string, repo = origin) => git(repo, 'rev-parse', `refs/heads/${ref}`);
const request = (overrides: Partial<Parameters<BranchUpdater['update']>[0]> = {}) => ({
  base: { url: origin, ref: 'main' },
  head: { url: origin, ref: 'feature' },
  expectedHeadSha: headOf('feature'),
  strategy: 'rebase' as const,
  committer,
  dryRun: false,
  ...overrides,
});

describe('bringing a PR branch up to date with real git', () => {
  it('rebases onto the base, squashes fixups, and pushes a linear history', async () => {
    const result = await updater.update(request());
    expect(result).toMatchObject({ kind: 'updated', dryRun: false });
    expect(headOf('feature')).toBe(result.kind === 'updated' ? result.headSha : '');
    const log = git(origin, 'log', '--format=%s', 'feature');
    expect(log.split('\n')).toEqual(['feat: one', 'chore: base moves', 'initial']);
    expect(git(origin, 'show', 'feature:feature.txt')).toBe('one\ntwo');
  });

  it('merges the base in when asked, keeping the PR commits as they are', async () => {
    const before = headOf('feature');
    const result = await updater.update(request({ strategy: 'merge-base' }));
    expect(result.kind).toBe('updated');
    expect(git(origin, 'rev-list', '--parents', '-n', '1', 'feature').split(' ')).toContain(before);
    expect(git(origin, 'log', '-1', '--format=%s', 'feature')).toBe(
      "Merge branch 'main' into the pull request branch",
    );
  });

  it('never overwrites a push that happened after the decision', async () => {
    const evaluated = headOf('feature');
    git(work, 'checkout', '-q', 'feature');
    git(work, 'pull', '-q', 'origin', 'feature');
    const pushed = commitFile(work, 'feature.txt', 'contributor again\n', 'feat: more');
    git(work, 'push', '-q', 'origin', 'feature');
    expect(await updater.update(request({ expectedHeadSha: evaluated }))).toEqual({
      kind: 'head-moved',
      headSha: pushed,
    });
    expect(headOf('feature')).toBe(pushed);
  });

  it('reports conflicts with the files involved, and leaves the branch alone', async () => {
    git(work, 'checkout', '-q', 'main');
    commitFile(work, 'feature.txt', 'conflicting\n', 'chore: touch the same file');
    git(work, 'push', '-q', 'origin', 'main');
    const before = headOf('feature');
    expect(await updater.update(request())).toEqual({ kind: 'conflict', files: ['feature.txt'] });
    expect(headOf('feature')).toBe(before);
  });

  it('changes nothing in a dry run', async () => {
    const before = headOf('feature');
    expect(await updater.update(request({ dryRun: true }))).toMatchObject({ kind: 'updated', dryRun: true });
    expect(headOf('feature')).toBe(before);
  });

  it('says so when the branch is already up to date', async () => {
    await updater.update(request());
    expect(await updater.update(request())).toMatchObject({ kind: 'already-up-to-date' });
  });

  it('rebases a branch that lives in a fork', async () => {
    const fork = join(root, `fork-${n}.git`);
    git(root, 'clone', '-q', '--bare', origin, fork);
    const originFeature = headOf('feature');
    const result = await updater.update(
      request({ head: { url: fork, ref: 'feature' }, expectedHeadSha: headOf('feature', fork) }),
    );
    expect(result.kind).toBe('updated');
    expect(git(fork, 'log', '--format=%s', 'feature').split('\n')).toEqual([
      'feat: one',
      'chore: base moves',
      'initial',
    ]);
    expect(headOf('feature')).toBe(originFeature);
  });

  it('fast-forwards the base for a merge-back, and refuses when that is not a fast-forward', async () => {
    await updater.update(request());
    const head = headOf('feature');
    expect(await updater.fastForward({ ...request(), expectedHeadSha: head })).toMatchObject({
      kind: 'updated',
      headSha: head,
    });
    expect(headOf('main')).toBe(head);

    git(work, 'checkout', '-q', 'main');
    git(work, 'pull', '-q', 'origin', 'main');
    commitFile(work, 'other.txt', 'x\n', 'chore: diverge');
    git(work, 'push', '-q', 'origin', 'main');
    git(work, 'checkout', '-q', '-b', 'stale', head);
    git(work, 'push', '-q', 'origin', 'stale');
    await expect(
      updater.fastForward({ ...request(), head: { url: origin, ref: 'stale' }, expectedHeadSha: head }),
    ).rejects.toThrow(/rejected|non-fast-forward/);
  });

  it('keeps a token out of error messages', async () => {
    const token = 'ghs_0123456789abcdefghijklmnopqrstuvwxyz';
    const error = await updater
      .update(request({ base: { url: 'http://127.0.0.1:9/nowhere.git', ref: 'main' }, token }))
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
  });
});
