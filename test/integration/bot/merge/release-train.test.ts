/**
 * The merge queue on a release train, end to end (sandbox forge, real git, BullMQ on Redis):
 * merge-backs from protected release branches are merged without rewriting them, in a cascade
 * over three lines, and the bot never force-pushes a branch others build on; when the forge
 * refuses a push, the PR says so.
 */
import { describe, expect, it } from 'vitest';
import { mergeBackLabelList } from '../../../../release/plan/merge-back.js';
import { useForge } from '../../../support/forge-harness.js';
import {
  createRepo,
  eventually,
  mergeCheckOn,
  needHumanLabel,
  type RepoFixture,
  readyLabel,
  useBot,
} from './merge-queue-kit.js';

describe('the merge queue on a release train', () => {
  const harness = useForge(['alice', 'bob']);
  useBot(harness);

  /** The maintainer's view of a ref on the forge. */
  const sha = async (repo: RepoFixture, ref: string) => {
    await repo.maintainer.run('fetch', '--quiet', '--tags', '--force', 'origin');
    return repo.maintainer.run('rev-parse', `${ref}^{commit}`);
  };
  const isAncestor = async (repo: RepoFixture, ancestor: string, of: string) =>
    repo.maintainer
      .run('merge-base', '--is-ancestor', ancestor, of)
      .then(() => true)
      .catch(() => false);

  /** Cuts `branch` from main as it is now, tags it `tag`, and protects it (reviews required). */
  async function cutLine(repo: RepoFixture, branch: string, tag: string) {
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    await repo.maintainer.run('push', '--quiet', 'origin', `origin/main:refs/heads/${branch}`);
    await repo.maintainer.run('tag', '-a', tag, '-m', tag, 'origin/main');
    await repo.maintainer.run('push', '--quiet', 'origin', tag);
    await repo.protect(branch, { required_pull_request_reviews: { required_approving_review_count: 1 } });
  }

  /** A patch release on a line: a fix pushed by the maintainer (an admin), tagged. */
  async function patchRelease(repo: RepoFixture, branch: string, tag: string): Promise<string> {
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    await repo.maintainer.run('checkout', '--quiet', '-B', branch, `origin/${branch}`);
    const fix = await repo.maintainer.commitFile(`fix-${tag}.txt`, `${tag}\n`, `fix: the ${tag} patch`);
    await repo.maintainer.run('push', '--quiet', 'origin', branch);
    await repo.maintainer.run('tag', '-a', tag, '-m', tag, fix);
    await repo.maintainer.run('push', '--quiet', 'origin', tag);
    return fix;
  }

  /** Opens the merge-back as the release flow does (title, labels), ready and approved. */
  async function openMergeBack(repo: RepoFixture, head: string, base: string): Promise<number> {
    const h = harness();
    const target = { owner: repo.owner, repo: repo.name };
    const { data } = await h.admin.rest.pulls.create({
      ...target,
      head,
      base,
      title: `Merge branch ${head} into ${base}`,
      body: `Brings ${head} back into ${base}.`,
    });
    await repo.approve(data.number);
    await h.admin.rest.issues.addLabels({
      ...target,
      issue_number: data.number,
      labels: mergeBackLabelList(),
    });
    return data.number;
  }

  async function merged(repo: RepoFixture, number: number) {
    return eventually(async () => {
      const pull = await repo.pull(number);
      return pull.merged ? pull : undefined;
    }, `#${number} to be merged`);
  }

  it('merges the merge-back of a patch on protected v0.1 into main with a merge commit; v0.1 and its tag stay put', async () => {
    const h = harness();
    const repo = await createRepo(h);
    await cutLine(repo, 'v0.1', 'v0.1.0');
    const mainOnly = await repo.pushToMain('feature.txt', 'main only\n', 'feat: a main-only feature');
    const fix = await patchRelease(repo, 'v0.1', 'v0.1.1');
    const mainBefore = await sha(repo, 'origin/main');

    const number = await openMergeBack(repo, 'v0.1', 'main');
    const pull = await merged(repo, number);

    // The release branch is byte for byte what it was, the tag on it; main has the patch.
    expect(await sha(repo, 'origin/v0.1')).toBe(fix);
    expect(await sha(repo, 'v0.1.1')).toBe(fix);
    expect(await isAncestor(repo, mainOnly, 'origin/v0.1')).toBe(false);
    const mainAfter = await sha(repo, 'origin/main');
    expect(await isAncestor(repo, fix, mainAfter)).toBe(true);
    expect(await repo.maintainer.run('rev-list', '--parents', '-n', '1', mainAfter)).toBe(
      `${mainAfter} ${mainBefore} ${fix}`,
    );
    expect(pull.head.sha).toBe(fix);
    const check = await mergeCheckOn(h, repo, fix);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(check?.output.title).toBe('Merged');
    expect(check?.output.summary).toContain('merged `v0.1` into `main` with a merge commit');
  }, 120_000);

  it('merges a cascade v0.1 → v0.2 → main in order, each through the queue, never rewriting a line', async () => {
    const h = harness();
    const repo = await createRepo(h);
    // v0.2 is protected: its merge needs an approval from someone with write access.
    await repo.addCollaborator('bob', 'push');
    await cutLine(repo, 'v0.1', 'v0.1.0');
    const forV02 = await repo.pushToMain('v02.txt', 'v0.2 work\n', 'feat: work for v0.2');
    await cutLine(repo, 'v0.2', 'v0.2.0');
    const fix = await patchRelease(repo, 'v0.1', 'v0.1.1');

    const first = await openMergeBack(repo, 'v0.1', 'v0.2');
    await merged(repo, first);
    const v02 = await sha(repo, 'origin/v0.2');
    expect(await sha(repo, 'origin/v0.1')).toBe(fix);
    expect(await isAncestor(repo, fix, v02)).toBe(true);
    expect(await isAncestor(repo, forV02, v02)).toBe(true);

    // main has not moved since v0.2 was cut: the next merge-back fast-forwards it.
    const second = await openMergeBack(repo, 'v0.2', 'main');
    const pull = await merged(repo, second);
    expect(await sha(repo, 'origin/main')).toBe(v02);
    expect(await sha(repo, 'origin/v0.2')).toBe(v02);
    expect(await sha(repo, 'origin/v0.1')).toBe(fix);
    expect(await sha(repo, 'v0.1.1')).toBe(fix);
    expect(pull.merge_commit_sha).toBe(v02);
    expect((await mergeCheckOn(h, repo, v02))?.output.summary).toContain('fast-forwarded `main` to `v0.2`');
  }, 120_000);

  it('merges the base into a branch another PR is based on instead of rebasing it', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const lower = await repo.openPullRequest('stack-1', 'one.txt');
    const lowerHead = (await repo.pull(lower)).head.sha;
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    await repo.maintainer.run('checkout', '--quiet', '-B', 'stack-2', 'origin/stack-1');
    await repo.maintainer.commitFile('two.txt', 'two\n', 'feat: two, on top of one');
    await repo.maintainer.run('push', '--quiet', 'origin', 'stack-2');
    await h.admin.rest.pulls.create({
      owner: repo.owner,
      repo: repo.name,
      head: 'stack-2',
      base: 'stack-1',
      title: 'feat: two',
    });
    await repo.pushToMain('moved.txt', 'moved\n', 'chore: the base moves on');
    await repo.approve(lower);
    await repo.label(lower, readyLabel);

    const pull = await merged(repo, lower);
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    // The head kept its commits: the update was a merge of main into it (a plain push).
    expect(await isAncestor(repo, lowerHead, pull.head.sha)).toBe(true);
    const parents = (await repo.maintainer.run('rev-list', '--parents', '-n', '1', pull.head.sha)).split(' ');
    expect(parents).toHaveLength(3);
  }, 120_000);

  it('shows a push the forge refused on the PR: a comment, the check, and the human label', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const number = await repo.openPullRequest('guarded', 'guarded.txt');
    const head = (await repo.pull(number)).head.sha;
    // Protected: changes must come through a PR, so the bot's push is refused.
    await repo.protect('guarded', {
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 1 },
    });
    await repo.pushToMain('moved.txt', 'moved\n', 'chore: the base moves on');
    await repo.approve(number);
    await repo.label(number, readyLabel);

    await eventually(async () => (await repo.labels(number)).includes(needHumanLabel), 'the human label');
    const comments = await repo.comments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/the forge refused the bot's push to `guarded`/);
    expect(comments[0]).toMatch(/Changes must be made through a pull request/);
    const check = await mergeCheckOn(h, repo, head);
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check?.output.summary).toMatch(/the forge refused the bot's push to `guarded`/);
    expect((await repo.pull(number)).head.sha).toBe(head);
    expect((await repo.pull(number)).merged).toBe(false);
  }, 120_000);
});
