/**
 * Only what a maintainer approved is merged, end to end: the sandbox forge, real git pushes, the
 * Probot app with BullMQ on real Redis. A triager's ready label is taken back; an approval given
 * before someone else pushed no longer counts, while the bot's own rebase keeps it; and the
 * squash commit credits everyone the PR credits.
 */
import { describe, expect, it } from 'vitest';
import { runMergeQueue } from '../../../../bot/merge/run-merge-queue.js';
import { useForge } from '../../../support/forge-harness.js';
import {
  createRepo,
  eventually,
  handDrivenQueue,
  needHumanLabel,
  readyLabel,
  useBot,
} from './merge-queue-kit.js';

const triageRefusal =
  'Thanks @tina! Only people with write access to this repository can add `status/3-needs-merge`: it decides whether and how this pull request is merged, so the bot removed it. A maintainer will take it from here.';

describe('only what a maintainer approved is merged', () => {
  const harness = useForge(['alice', 'bob', 'tina']);
  const bot = useBot(harness);

  it('takes back a ready label a triager added, says why, and merges nothing', async () => {
    const h = harness();
    const repo = await createRepo(h);
    await repo.addCollaborator('tina', 'triage');
    const number = await repo.openPullRequest('by-triager', 't.txt');
    await repo.approve(number);
    await h.forge.idle();
    await h.as('tina').rest.issues.addLabels({
      owner: repo.owner,
      repo: repo.name,
      issue_number: number,
      labels: [readyLabel],
    });

    await eventually(
      async () => !(await repo.labels(number)).includes(readyLabel),
      'the label to be removed',
    );
    await bot().settled();
    expect((await repo.pull(number)).merged).toBe(false);
    expect(await repo.comments(number)).toEqual([triageRefusal]);
    expect(await repo.labels(number)).not.toContain(needHumanLabel);

    // The same label from a maintainer counts.
    await repo.label(number, readyLabel);
    await eventually(async () => (await repo.pull(number)).merged, 'the PR to merge once a maintainer asks');
  }, 120_000);

  it('sends a PR back to review after someone else pushed over the approval', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const number = await repo.openPullRequest('pushed-after', 'p.txt');
    await repo.approve(number);
    const approved = (await repo.pull(number)).head.sha;
    const pushed = await repo.pushToBranch(
      'pushed-after',
      'unreviewed.txt',
      'feat: something nobody reviewed',
    );
    await h.forge.idle();
    await repo.label(number, readyLabel);

    await eventually(
      async () => (await repo.labels(number)).includes(needHumanLabel),
      'the need-human label',
    );
    expect((await repo.pull(number)).merged).toBe(false);
    const comments = await repo.comments(number);
    expect(comments).toHaveLength(1);
    expect(comments[0]).toBe(
      ':no_entry_sign: Reviews: 0 of 1 approval; @bob approved an earlier commit and someone other than the bot pushed since: a new review is needed\n\nRemove the `bot/need-human-merge` label to put this pull request back in the merge queue.',
    );
    const reviews = await repo.reviews(number);
    expect(reviews.map((r) => r.commit_id)).toEqual([approved]);
    expect(pushed).not.toBe(approved);
  }, 120_000);

  it('honours GitHub’s "dismiss stale approvals" protection', async () => {
    const h = harness();
    const repo = await createRepo(h);
    await repo.protect('main', {
      required_pull_request_reviews: { required_approving_review_count: 1, dismiss_stale_reviews: true },
    });
    const number = await repo.openPullRequest('dismissed', 'd.txt');
    await repo.approve(number);
    await repo.pushToBranch('dismissed', 'd2.txt', 'feat: one more thing');
    await h.forge.idle();
    const reviews = await repo.reviews(number);
    expect(reviews.map((r) => r.state)).toEqual(['DISMISSED']);
    await repo.label(number, readyLabel);

    await eventually(
      async () => (await repo.labels(number)).includes(needHumanLabel),
      'the need-human label',
    );
    expect((await repo.pull(number)).merged).toBe(false);
    expect((await repo.comments(number))[0]).toMatch(/^:no_entry_sign: Reviews: 0 of 1 approval\n/);
  }, 120_000);

  it('keeps the approval across its own rebase, recorded on the new head', async () => {
    const h = harness();
    const repo = await createRepo(h, { strict: true, ci: true });
    const number = await repo.openPullRequest('rebased', 'r.txt');
    await repo.approve(number);
    const approved = (await repo.pull(number)).head.sha;
    await repo.pushToMain('base.txt', 'moved\n', 'chore: the base moves on');
    await h.forge.idle();
    await repo.label(number, readyLabel);

    const merged = await eventually(async () => {
      const pull = await repo.pull(number);
      return pull.merged ? pull : undefined;
    }, 'the rebased PR to merge');
    expect(merged.head.sha).not.toBe(approved);
    const { data } = await h.admin.rest.checks.listForRef({
      owner: repo.owner,
      repo: repo.name,
      ref: merged.head.sha,
      check_name: 'affineur/update',
    });
    expect(data.check_runs).toHaveLength(1);
    expect(data.check_runs[0]).toMatchObject({
      conclusion: 'neutral',
      app: { slug: h.forge.app.slug },
      external_id: JSON.stringify({ from: approved, sameChanges: true }),
    });
    expect(await repo.comments(number)).toEqual([]);
  }, 180_000);

  it('names the conflicting files when GitHub says the PR cannot be merged', async () => {
    const h = harness();
    const repo = await createRepo(h, { merge: ['forceNeedUpToDate: false'] });
    const number = await repo.openPullRequest('conflicting', 'shared.txt');
    await repo.pushToMain('shared.txt', 'the base says otherwise\n', 'chore: the base writes shared.txt');
    await repo.approve(number);
    await h.forge.idle();
    await repo.label(number, readyLabel);

    await eventually(
      async () => (await repo.labels(number)).includes(needHumanLabel),
      'the need-human label',
    );
    expect((await repo.comments(number))[0]).toMatch(
      /^:no_entry_sign: No conflicts: conflicts with `main` in `shared.txt`\n/,
    );
  }, 120_000);

  it('credits the co-authors of the description and of every commit in the squash commit, once each', async () => {
    const h = harness();
    const repo = await createRepo(h);
    const number = await repo.openPullRequest('credits', 'c.txt', {
      title: 'feat: add a brie middleware',
      body: [
        'Adds brie.',
        '',
        'Co-authored-by: Dave Doe <dave@example.test>',
        'Co-authored-by: Carol Again <CAROL@example.test>',
      ].join('\n'),
    });
    await repo.pushToBranch(
      'credits',
      'c2.txt',
      'feat: more brie\n\nCo-authored-by: Carol <carol@example.test>',
    );
    await repo.approve(number);
    await h.forge.idle();
    await repo.label(number, readyLabel);

    await eventually(async () => (await repo.pull(number)).merged, 'the PR to merge');
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    expect(await repo.maintainer.run('log', '-1', '--format=%B', 'origin/main')).toBe(
      [
        `feat: add a brie middleware (#${number})`,
        '',
        'Co-authored-by: Carol <carol@example.test>',
        'Co-authored-by: Dave Doe <dave@example.test>',
      ].join('\n'),
    );
  }, 120_000);
});

describe('catching up on labels it did not see being added', () => {
  // No bot listens to this forge: the pass runs by hand, as after a restart or a lost webhook.
  const harness = useForge(['alice', 'bob', 'tina']);

  it('reads the timeline, takes back a triager’s labels, and merges nothing', async () => {
    const h = harness();
    const repo = await createRepo(h);
    await repo.addCollaborator('tina', 'triage');
    const number = await repo.openPullRequest('caught-up', 'u.txt');
    await repo.approve(number);
    const target = { owner: repo.owner, repo: repo.name };
    await h.as('tina').rest.issues.addLabels({ ...target, issue_number: number, labels: [readyLabel] });
    await h.forge.idle();
    // The forge's timeline, validated against GitHub's OpenAPI description by the harness client.
    const { data: timeline } = await h.admin.rest.issues.listEventsForTimeline({
      ...target,
      issue_number: number,
    });
    expect(timeline).toMatchObject([
      { event: 'labeled', actor: { login: 'tina' }, label: { name: readyLabel } },
    ]);

    const ctx = await handDrivenQueue(h, repo);
    const pull = await repo.pull(number);
    const ready = [
      { number, baseRef: 'main', headSha: pull.head.sha, labels: [readyLabel], createdAt: pull.created_at },
    ];
    expect(await runMergeQueue(ctx, ready, number)).toEqual({ merged: [], waiting: [], holding: undefined });
    expect((await repo.pull(number)).merged).toBe(false);
    expect(await repo.labels(number)).toEqual([]);
    expect(await repo.comments(number)).toEqual([triageRefusal]);
    await ctx.runtime.close();
  }, 60_000);
});
