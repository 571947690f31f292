/**
 * Time-driven steps of the merge queue, end to end with the sweep set to an hour: a retry is a
 * delayed job due at the end of its interval (it survives a restart of the bot), a CI that turns
 * green during the interval resumes the PR at once, and a PR waiting on a check that never
 * reports does not hold the ready PR behind it.
 */
import { describe, expect, it } from 'vitest';
import { decodeMergeCheckState } from '../../../../bot/merge/merge-check-state.js';
import { useForge } from '../../../support/forge-harness.js';
import {
  createRepo,
  eventually,
  externalCi,
  mergeCheckOn,
  needHumanLabel,
  type RepoFixture,
  type RunningBot,
  readyLabel,
  startBot,
  useBot,
} from './merge-queue-kit.js';

const anHour = 3_600_000;
const retrying = ['retry:', '  number: 1', '  interval: 3s'];
// Long enough that the first bot is surely stopped before the retry is due.
const retryingSlowly = ['retry:', '  number: 1', '  interval: 8s'];

/** When the bot's hand-over comment was written (the forge keeps whole seconds). */
async function handedOverAt(h: Parameters<typeof mergeCheckOn>[0], repo: RepoFixture, number: number) {
  const { data } = await h.admin.rest.issues.listComments({
    owner: repo.owner,
    repo: repo.name,
    issue_number: number,
  });
  expect(data).toHaveLength(1);
  return Date.parse(data[0]!.created_at);
}

/** The retry time the bot wrote on the PR's check, once it is there. */
async function retryDue(h: Parameters<typeof mergeCheckOn>[0], repo: RepoFixture, sha: string) {
  return eventually(async () => {
    const run = await mergeCheckOn(h, repo, sha);
    return decodeMergeCheckState(run?.external_id ?? undefined).retryAt;
  }, 'the retry to be scheduled');
}

describe('the merge queue on time', () => {
  const harness = useForge(['alice', 'bob']);
  const bot = useBot(harness, { sweepIntervalMs: anHour });

  it('merges at once when a failed CI turns green within a second of the retry interval’s end', async () => {
    const h = harness();
    const repo = await createRepo(h, { merge: retrying });
    const ci = await externalCi(h);
    const number = await repo.openPullRequest('flaky', 'flaky.txt');
    const head = (await repo.pull(number)).head.sha;
    await repo.approve(number);
    await ci.report(repo, head, 'failure');
    await repo.label(number, readyLabel);

    const due = await retryDue(h, repo, head);
    expect(await repo.labels(number)).toContain('bot/merge-retry-1');
    // The re-run starts now and turns green half a second before the retry is due.
    const rerun = await ci.start(repo, head);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(due) - Date.now() - 500)));
    await ci.finish(repo, rerun, 'success');
    await eventually(async () => (await repo.pull(number)).merged, 'the PR to merge');
    expect(await repo.labels(number)).not.toContain(needHumanLabel);
  }, 60_000);

  it('looks at a PR again when its retry is due, with no event at all, and hands it over once retries are spent', async () => {
    const h = harness();
    const repo = await createRepo(h, { merge: retrying });
    const ci = await externalCi(h);
    const number = await repo.openPullRequest('broken', 'broken.txt');
    const head = (await repo.pull(number)).head.sha;
    await repo.approve(number);
    await ci.report(repo, head, 'failure');
    await repo.label(number, readyLabel);

    const due = await retryDue(h, repo, head);
    // Nothing happens on the forge from here on: only the wake-up job can take the next step,
    // and not before the interval's end.
    await eventually(
      async () => (await repo.labels(number)).includes(needHumanLabel),
      'the human label',
      30_000,
    );
    expect(await handedOverAt(h, repo, number)).toBeGreaterThanOrEqual(
      Math.floor(Date.parse(due) / 1000) * 1000,
    );
    const comments = await repo.comments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/CI: failing: ext-ci after 1 retry/);
    expect(await mergeCheckOn(h, repo, head)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  }, 60_000);

  it('merges a ready PR behind one whose required check never reports; that one keeps waiting', async () => {
    const h = harness();
    const repo = await createRepo(h, { merge: ['forceNeedUpToDate: false'] });
    await repo.protect('main', { required_status_checks: { strict: false, contexts: ['ext-ci'] } });
    const ci = await externalCi(h);
    const stuck = await repo.openPullRequest('stuck', 'stuck.txt');
    const ready = await repo.openPullRequest('ready', 'ready.txt');
    await repo.approve(stuck);
    await repo.approve(ready);
    await repo.label(stuck, readyLabel);
    const stuckHead = (await repo.pull(stuck)).head.sha;
    await eventually(
      async () => (await mergeCheckOn(h, repo, stuckHead))?.output.title === 'Waiting',
      'A waiting',
    );
    await ci.report(repo, (await repo.pull(ready)).head.sha, 'success');
    await repo.label(ready, readyLabel);

    await eventually(async () => (await repo.pull(ready)).merged, 'B to merge past A');
    await bot().settled();
    expect((await repo.pull(stuck)).merged).toBe(false);
    expect(await repo.labels(stuck)).toEqual([readyLabel]);
    const check = await mergeCheckOn(h, repo, stuckHead);
    expect(check).toMatchObject({ status: 'in_progress', conclusion: null });
    expect(check?.output.summary).toContain('required but not reported yet: ext-ci');

    // Once its check reports, A is merged too: it kept its place.
    await ci.report(repo, stuckHead, 'success');
    await eventually(async () => (await repo.pull(stuck)).merged, 'A to merge once its check reports');
  }, 90_000);
});

describe('the merge queue across a restart', () => {
  const harness = useForge(['alice', 'bob']);

  it('runs a retry that came due while the bot was down, from the job stored in Redis', async () => {
    const h = harness();
    const first = await startBot(h, { sweepIntervalMs: anHour });
    let second: RunningBot | undefined;
    try {
      const repo = await createRepo(h, { merge: retryingSlowly });
      const ci = await externalCi(h);
      const number = await repo.openPullRequest('restart', 'restart.txt');
      const head = (await repo.pull(number)).head.sha;
      await repo.approve(number);
      await ci.report(repo, head, 'failure');
      await repo.label(number, readyLabel);
      const due = await retryDue(h, repo, head);
      await first.settled();
      await first.stop({ keepKeys: true });
      // Not handed over yet: the retry is due later, and the bot that scheduled it is gone.
      expect(await repo.labels(number)).not.toContain(needHumanLabel);

      second = await startBot(h, { sweepIntervalMs: anHour, prefix: first.prefix });
      await eventually(
        async () => (await repo.labels(number)).includes(needHumanLabel),
        'the human label',
        30_000,
      );
      expect((await repo.comments(number))[0]).toMatch(/after 1 retry/);
      expect(await handedOverAt(h, repo, number)).toBeGreaterThanOrEqual(
        Math.floor(Date.parse(due) / 1000) * 1000,
      );
    } finally {
      await second?.stop();
    }
  }, 90_000);
});
