/**
 * The `affineur/merge` check run tells the truth at every step, read back from the forge:
 * queued (with the position), waiting (for what), branch updated, merging → merged, cancelled,
 * paused (a draft, `bot/no-merge`: quietly), needs a human, and back when the reason goes away.
 */
import { describe, expect, it } from 'vitest';
import { useForge } from '../../../support/forge-harness.js';
import {
  createRepo,
  eventually,
  externalCi,
  mergeCheckOn,
  needHumanLabel,
  type RepoFixture,
  readyLabel,
  useBot,
} from './merge-queue-kit.js';

/** Every state our check run went through, per head sha, as the forge emitted them. */
const history = new Map<string, string[]>();
function recordCheckRun(name: string, payload: Record<string, unknown>) {
  const run = (
    payload as { check_run?: { name: string; head_sha: string; output?: { title?: string | null } } }
  ).check_run;
  if (name !== 'check_run' || run?.name !== 'affineur/merge') return;
  const titles = history.get(run.head_sha) ?? [];
  const title = run.output?.title ?? '';
  if (titles.at(-1) !== title) titles.push(title);
  history.set(run.head_sha, titles);
}

describe('the affineur/merge check run', () => {
  const harness = useForge(['alice', 'bob'], { onEvent: recordCheckRun });
  const bot = useBot(harness);

  const titled = (repo: RepoFixture, sha: string, title: string) =>
    eventually(
      async () => {
        const run = await mergeCheckOn(harness(), repo, sha);
        return run?.output.title === title ? run : undefined;
      },
      `the check on ${sha.slice(0, 7)} to say "${title}"`,
    );
  const headOf = async (repo: RepoFixture, number: number) => (await repo.pull(number)).head.sha;

  it('goes branch updated → waiting (for what) → merged, shows the PRs behind as queued, and cancels', async () => {
    const h = harness();
    const repo = await createRepo(h);
    await repo.protect('main', { required_status_checks: { strict: true, contexts: ['ext-ci'] } });
    const ci = await externalCi(h);
    const first = await repo.openPullRequest('first', 'first.txt');
    await repo.pushToMain('moved.txt', 'moved\n', 'chore: the base moves on');
    const second = await repo.openPullRequest('second', 'second.txt');
    const third = await repo.openPullRequest('third', 'third.txt');
    for (const number of [first, second, third]) {
      await repo.approve(number);
      await ci.report(repo, await headOf(repo, number), 'success');
    }
    const oldHead = await headOf(repo, first);
    await repo.label(first, readyLabel);

    // The old head: updated; the new head: waiting for its required check, holding the queue.
    const updated = await titled(repo, oldHead, 'Branch updated');
    expect(updated).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(updated.output.summary).toContain('rebased onto `main`');
    const newHead = await eventually(async () => {
      const head = await headOf(repo, first);
      return head !== oldHead ? head : undefined;
    }, 'the rebased head');
    const waiting = await titled(repo, newHead, 'Waiting');
    expect(waiting).toMatchObject({ status: 'in_progress', conclusion: null });
    expect(waiting.output.summary).toContain('required but not reported yet: ext-ci');

    // Behind it: queued, with the position.
    await repo.label(second, readyLabel);
    const queued = await titled(repo, await headOf(repo, second), 'Queued (position 2)');
    expect(queued).toMatchObject({ status: 'in_progress', conclusion: null });
    expect(queued.output.summary).toContain(`waiting for #${first}`);
    await repo.label(third, readyLabel);
    await titled(repo, await headOf(repo, third), 'Queued (position 3)');

    // Taken out: `/merge cancel`, or the ready label removed by hand.
    await h.admin.rest.issues.createComment({
      owner: repo.owner,
      repo: repo.name,
      issue_number: second,
      body: '/merge cancel',
    });
    const cancelled = await titled(repo, await headOf(repo, second), 'Cancelled');
    expect(cancelled).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(cancelled.output.summary).toContain('`/merge cancel`');
    await h.admin.rest.issues.removeLabel({
      owner: repo.owner,
      repo: repo.name,
      issue_number: third,
      name: readyLabel,
    });
    const removed = await titled(repo, await headOf(repo, third), 'Cancelled');
    expect(removed).toMatchObject({ status: 'completed', conclusion: 'cancelled' });
    expect(removed.output.summary).toContain(`\`${readyLabel}\` was removed by @admin`);

    // CI reports on the new head: merging, then merged.
    await ci.report(repo, newHead, 'success');
    const merged = await titled(repo, newHead, 'Merged');
    expect(merged).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect((await repo.pull(first)).merged).toBe(true);
    // Every transition, in order, as the forge saw them.
    expect(history.get(oldHead)).toEqual(['Updating the branch', 'Branch updated']);
    expect(history.get(newHead)).toEqual(['Waiting', 'Merging', 'Merged']);
    await bot().settled();
    expect((await repo.pull(second)).merged).toBe(false);
    expect((await repo.pull(third)).merged).toBe(false);
  }, 120_000);

  it('pauses on bot/no-merge quietly, and resumes without a human label when it is removed', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const number = await repo.openPullRequest('hold-on', 'hold-on.txt');
    await repo.approve(number);
    const head = await headOf(repo, number);
    await repo.label(number, readyLabel, 'bot/no-merge');
    const paused = await titled(repo, head, 'Paused');
    expect(paused).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(paused.output.summary).toContain('labelled `bot/no-merge`; remove it to resume');
    await bot().settled();
    expect(await repo.comments(number)).toEqual([]);
    expect(await repo.labels(number)).not.toContain(needHumanLabel);

    await h.admin.rest.issues.removeLabel({
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      name: 'bot/no-merge',
    });
    const merged = await titled(repo, head, 'Merged');
    expect(merged).toMatchObject({ status: 'completed', conclusion: 'success' });
    // A new run: a completed one is never moved back to in progress with its old conclusion.
    expect(merged.id).not.toBe(paused.id);
    expect(await repo.comments(number)).toEqual([]);
  }, 60_000);

  it('pauses a draft, and resumes it when it is marked ready for review', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const number = await repo.openPullRequest('drafty', 'drafty.txt', { draft: true });
    await repo.approve(number);
    const head = await headOf(repo, number);
    await repo.label(number, readyLabel);
    const paused = await titled(repo, head, 'Paused');
    expect(paused.output.summary).toContain('the pull request is a draft');
    await h
      .as('alice')
      .rest.pulls.update({ owner: repo.owner, repo: repo.name, pull_number: number, draft: false });
    await titled(repo, head, 'Merged');
    expect(await repo.labels(number)).not.toContain(needHumanLabel);
  }, 60_000);

  it('needs a human with the reasons, and is queued again once the human label is removed', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const number = await repo.openPullRequest('no-milestone', 'no-milestone.txt');
    await h.as('bob').rest.pulls.createReview({
      owner: repo.owner,
      repo: repo.name,
      pull_number: number,
      event: 'APPROVE',
    });
    const head = await headOf(repo, number);
    await repo.label(number, readyLabel);
    const human = await titled(repo, head, 'A human is needed');
    expect(human).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(human.output.summary).toContain('Milestone: no milestone is set');
    await eventually(async () => (await repo.labels(number)).includes(needHumanLabel), 'the human label');

    await h.admin.rest.issues.update({
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      milestone: repo.milestone,
    });
    await h.admin.rest.issues.removeLabel({
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      name: needHumanLabel,
    });
    const merged = await titled(repo, head, 'Merged');
    expect(merged).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(merged.id).not.toBe(human.id);
  }, 60_000);
});
