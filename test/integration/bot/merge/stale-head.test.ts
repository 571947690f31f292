/**
 * A push that lands between the evaluation and the merge is never merged over: the executor
 * merges with the sha it evaluated, the forge refuses, and the queue holds. The approval was for
 * the old head, so the next pass sends the PR back for a review instead of merging what nobody
 * approved; once it is approved again, it merges. The pieces run by hand here (gatherer, policy,
 * executor) so the push can land exactly in between; no bot is listening to this forge.
 */
import { describe, expect, it } from 'vitest';
import { decideInQueue } from '../../../../bot/merge/decide-in-queue.js';
import { gatherPullRequestFacts } from '../../../../bot/merge/gather-pull-request-facts.js';
import { MergeExecutor } from '../../../../bot/merge/merge-executor.js';
import { mergeCheckName } from '../../../../bot/merge/merge-settings-from-config.js';
import { runMergeQueue } from '../../../../bot/merge/run-merge-queue.js';
import { useForge } from '../../../support/forge-harness.js';
import { createRepo, handDrivenQueue, readyLabel } from './merge-queue-kit.js';

describe('a push between evaluation and merge', () => {
  const harness = useForge(['alice', 'bob']);

  it('is not merged at the stale sha, nor unreviewed; the new head merges once approved', async () => {
    const h = harness();
    const repo = await createRepo(h, { ci: true });
    const number = await repo.openPullRequest('racy', 'racy.txt');
    await repo.approve(number);
    await repo.label(number, readyLabel);
    await h.forge.idle();

    const ctx = await handDrivenQueue(h, repo);
    const { octokit, repo: target, settings, runtime } = ctx;

    const evaluated = await gatherPullRequestFacts(octokit, target, number, {
      protection: runtime.protection,
      mergeCheckName,
    });
    const step = decideInQueue(evaluated, settings, new Date());
    expect(step.decision).toMatchObject({ kind: 'merge', sha: evaluated.facts.headSha });

    const pushed = await repo.pushToBranch('racy', 'late.txt', 'feat: a late change');
    expect(await new MergeExecutor(ctx).carryOut(evaluated, step)).toBe('hold');
    const after = await repo.pull(number);
    expect(after.merged).toBe(false);
    expect(after.head.sha).toBe(pushed);

    await h.forge.idle();
    const ready = [
      { number, baseRef: 'main', headSha: pushed, labels: [readyLabel], createdAt: after.created_at },
    ];
    expect(await runMergeQueue(ctx, ready, number)).toEqual({ merged: [], waiting: [], holding: undefined });
    expect((await repo.pull(number)).merged).toBe(false);
    expect(await repo.labels(number)).toContain('bot/need-human-merge');
    expect((await repo.comments(number)).at(-1)).toContain(
      '@bob approved an earlier commit and someone other than the bot pushed since: a new review is needed',
    );

    await h.as('bob').rest.pulls.createReview({ ...target, pull_number: number, event: 'APPROVE' });
    await h.admin.rest.issues.removeLabel({ ...target, issue_number: number, name: 'bot/need-human-merge' });
    await h.forge.idle();
    expect(await runMergeQueue(ctx, ready, number)).toEqual({
      merged: [number],
      waiting: [],
      holding: undefined,
    });
    await repo.maintainer.run('fetch', '--quiet', 'origin');
    expect(await repo.maintainer.run('show', 'origin/main:late.txt')).toBe('late.txt');
    await runtime.close();
  }, 60_000);
});
