/**
 * The merge queue end to end: the sandbox forge, real git pushes, the Probot app with BullMQ on
 * real Redis. Maintainers label PRs; the bot rebases, waits for CI and merges, one at a time.
 */
import { describe, expect, it } from 'vitest';
import { cloneAs, credentialUrl } from '../../../support/forge-git.js';
import { useForge } from '../../../support/forge-harness.js';
import {
  capturedLog,
  createRepo,
  eventually,
  mergeCheckOn,
  needHumanLabel,
  readyLabel,
  useBot,
} from './merge-queue-kit.js';

describe('the merge queue', () => {
  const harness = useForge(['alice', 'bob', 'carol']);
  const bot = useBot(harness);

  it('merges three ready PRs one by one, rebasing the ones behind and waiting for CI on each new head', async () => {
    const h = harness();
    const repo = await createRepo(h, { strict: true, ci: true });
    const first = await repo.openPullRequest('feature-a', 'a.txt');
    const baseMoved = await repo.pushToMain('base.txt', 'moved\n', 'chore: the base moves on');
    const second = await repo.openPullRequest('feature-b', 'b.txt');
    const third = await repo.openPullRequest('feature-c', 'c.txt');
    const before = new Map<number, string>();
    for (const number of [first, second, third]) {
      await repo.approve(number);
      before.set(number, (await repo.pull(number)).head.sha);
    }
    await h.forge.idle();
    for (const number of [first, second, third]) {
      await repo.label(number, readyLabel);
    }

    const merged = await eventually(async () => {
      const pulls = await Promise.all([first, second, third].map((n) => repo.pull(n)));
      return pulls.every((p) => p.merged) ? pulls : undefined;
    }, 'the three PRs to be merged');

    // Merged in queue order, each as one squash commit on a linear main.
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    const log = (await repo.maintainer.run('log', '--format=%s', 'origin/main')).split('\n');
    expect(log.slice(0, 3)).toEqual([
      `feat: add c.txt (#${third})`,
      `feat: add b.txt (#${second})`,
      `feat: add a.txt (#${first})`,
    ]);
    expect(await repo.maintainer.run('rev-list', '--merges', 'origin/main')).toBe('');

    // The PR that was behind was rebased: a new head on top of the moved base, no merge commit,
    // and CI ran again on it before the merge.
    const rebased = merged[0]!;
    expect(rebased.head.sha).not.toBe(before.get(first));
    await repo.maintainer.run('fetch', '--quiet', 'origin', `refs/pull/${first}/head`);
    await repo.maintainer.run('merge-base', '--is-ancestor', baseMoved, rebased.head.sha);
    expect(await repo.maintainer.run('rev-list', '--merges', `${baseMoved}..${rebased.head.sha}`)).toBe('');
    for (const pr of merged) {
      const { data } = await h.admin.rest.checks.listForRef({
        owner: repo.owner,
        repo: repo.name,
        ref: pr.head.sha,
      });
      const byName = new Map(data.check_runs.map((run) => [run.name, run]));
      expect(byName.get('sandbox-ci')).toMatchObject({ status: 'completed', conclusion: 'success' });
      expect(byName.get('affineur/merge')).toMatchObject({
        conclusion: 'success',
        status: 'completed',
      });
      // Cleanup follows the merge itself, so it may land a moment after the PR shows merged.
      await eventually(async () => {
        const labels = await repo.labels(pr.number);
        return !labels.includes(readyLabel) && !labels.includes('status/4-merge-in-progress');
      }, 'the bot labels to be removed');
    }
  }, 180_000);

  it('hands a PR with changes requested to a human, naming the reviewer', async () => {
    const h = harness();
    const repo = await createRepo(h, { ci: true });
    const number = await repo.openPullRequest('needs-work', 'w.txt');
    await repo.approve(number, ['carol']);
    await h.as('bob').rest.pulls.createReview({
      owner: repo.owner,
      repo: repo.name,
      pull_number: number,
      event: 'REQUEST_CHANGES',
      body: 'Please add a test.',
    });
    await h.forge.idle();
    await repo.label(number, readyLabel);

    await eventually(
      async () => (await repo.labels(number)).includes(needHumanLabel),
      'the need-human label',
    );
    const comments = await repo.comments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatch(/^:no_entry_sign: .*Reviews: changes requested by @bob/);
    expect((await repo.pull(number)).merged).toBe(false);

    // Removing the label puts it back in the queue; once bob approves, it merges.
    await h
      .as('bob')
      .rest.pulls.createReview({ owner: repo.owner, repo: repo.name, pull_number: number, event: 'APPROVE' });
    await h.admin.rest.issues.removeLabel({
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      name: needHumanLabel,
    });
    await eventually(async () => (await repo.pull(number)).merged, 'the PR to merge once re-queued');
  }, 120_000);

  it('rebases a fork PR that allows maintainer edits, pushing to the fork, and merges it', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const alice = h.as('alice');
    const { data: fork } = await alice.rest.repos.createFork({ owner: repo.owner, repo: repo.name });
    const clone = await cloneAs(
      'alice',
      credentialUrl(h.forge.gitUrl, h.tokens.alice!, `${fork.full_name}.git`),
    );
    await clone.run('checkout', '--quiet', '-b', 'from-fork');
    await clone.commitFile('fork.txt', 'from a fork\n', 'feat: a change from a fork');
    await clone.run('push', '--quiet', 'origin', 'from-fork');
    const { data: pr } = await alice.rest.pulls.create({
      owner: repo.owner,
      repo: repo.name,
      head: 'alice:from-fork',
      base: 'main',
      title: 'feat: a change from a fork',
      body: '',
      maintainer_can_modify: true,
    });
    const original = pr.head.sha;
    const baseMoved = await repo.pushToMain('other.txt', 'meanwhile\n', 'chore: meanwhile on main');
    await repo.approve(pr.number);
    await h.forge.idle();
    await h.admin.rest.issues.addLabels({
      owner: repo.owner,
      repo: repo.name,
      issue_number: pr.number,
      labels: [readyLabel],
    });

    const merged = await eventually(async () => {
      const current = await repo.pull(pr.number);
      return current.merged ? current : undefined;
    }, 'the fork PR to merge');
    expect(merged.head.sha).not.toBe(original);
    await clone.run('fetch', '--quiet', 'origin');
    expect(await clone.run('rev-parse', 'origin/from-fork')).toBe(merged.head.sha);
    await clone.run('merge-base', '--is-ancestor', baseMoved, 'origin/from-fork');
  }, 120_000);

  it('reports in a dry run what it would rebase, and changes nothing', async () => {
    const h = harness();
    const repo = await createRepo(h, { ci: true, dryRun: true });
    const number = await repo.openPullRequest('dry', 'dry.txt');
    await repo.pushToMain('moved.txt', 'moved\n', 'chore: the base moves on');
    await repo.approve(number);
    await h.forge.idle();
    const head = (await repo.pull(number)).head.sha;
    await repo.label(number, readyLabel);
    const check = await eventually(async () => {
      const run = await mergeCheckOn(h, repo, head);
      return run?.output.title?.startsWith('Dry run') ? run : undefined;
    }, 'the dry run’s check');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(check.output.summary).toContain('would have rebased onto `main`');
    await bot().settled();

    const after = await repo.pull(number);
    expect(after.merged).toBe(false);
    expect(after.head.sha).toBe(head);
    expect(await repo.labels(number)).toEqual([readyLabel]);
    expect(await repo.comments(number)).toEqual([]);
  }, 60_000);
});

describe('the merge dry run', () => {
  const harness = useForge(['alice', 'bob']);
  const captured = capturedLog();
  const bot = useBot(harness, { log: captured.log });

  it('says "would merge #N with squash at SHA" in the log and in the check, and merges nothing', async () => {
    const h = harness();
    const repo = await createRepo(h, { ci: true, dryRun: true });
    const number = await repo.openPullRequest('dry-merge', 'dry-merge.txt');
    await repo.approve(number);
    await h.forge.idle();
    const head = (await repo.pull(number)).head.sha;
    await repo.label(number, readyLabel);
    const what = `would merge #${number} with squash at ${head}`;
    const check = await eventually(async () => {
      const run = await mergeCheckOn(h, repo, head);
      return run?.output.title?.startsWith('Dry run') ? run : undefined;
    }, 'the dry run’s check');
    expect(check).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(check.output.title).toBe(`Dry run: would merge #${number} with squash`);
    expect(check.output.summary).toContain(`**Dry run:** ${what}; nothing was changed`);
    await bot().settled();
    const lines = captured.lines().filter((line) => line.msg === `dry run: ${what}`);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatchObject({ dryRun: true, pr: number, action: { type: 'merge', sha: head } });

    expect((await repo.pull(number)).merged).toBe(false);
    expect(await repo.labels(number)).toEqual([readyLabel]);
    expect(await repo.comments(number)).toEqual([]);
  }, 60_000);
});
