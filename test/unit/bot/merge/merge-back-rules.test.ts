/**
 * Release branches are never rewritten: the merge-back policy, the rewrite guard, and the timing
 * rules of the queue (retries and CI timeouts as wake-ups), all pure.
 */
import { describe, expect, it } from 'vitest';
import { isReleaseBranch, rewriteRefusal } from '../../../../bot/merge/branch-rewrite-guard.js';
import { decideInQueue } from '../../../../bot/merge/decide-in-queue.js';
import { decideNextStep } from '../../../../bot/merge/decide-next-step.js';
import { encodeMergeCheckState } from '../../../../bot/merge/merge-check-state.js';
import { defaultMergeSettings } from '../../../../bot/merge/merge-settings.js';
import type { PullRequestFacts } from '../../../../bot/merge/pull-request-facts.js';
import { readyPullRequest } from './pull-request-fixture.js';

const mergeBack = (overrides: Partial<PullRequestFacts> = {}) =>
  readyPullRequest({
    title: 'Merge branch v0.1 into main',
    headRef: 'v0.1',
    labels: ['status/3-needs-merge', 'bot/merge-method-ff', 'bot/light-review'],
    ...overrides,
  });
const decide = (pr: PullRequestFacts) => decideNextStep(pr, defaultMergeSettings, 'empty').decision;

describe('merge-backs', () => {
  it('fast-forwards the base when it is in the release branch’s history', () => {
    expect(decide(mergeBack())).toMatchObject({ kind: 'merge', method: 'ff', mergeBack: true });
  });

  it('writes a merge commit on the base when the base moved on, and never updates the head', () => {
    for (const pr of [
      mergeBack({ behindBase: true }),
      mergeBack({ behindBase: true, hasMergeCommits: true }),
    ]) {
      expect(decide(pr)).toEqual({
        kind: 'merge',
        method: 'merge',
        sha: pr.headSha,
        commitTitle: `Merge branch v0.1 into main (#42)`,
        commitMessage: undefined,
        mergeBack: true,
      });
    }
  });

  it('hands a merge-back to a human when the base must be up to date first, saying why', () => {
    const decision = decide(
      mergeBack({ behindBase: true, protection: { requiredChecks: [], strict: true, requiredApprovals: 0 } }),
    );
    expect(decision.kind).toBe('needs-human');
    expect(decision.kind === 'needs-human' && decision.reasons[0]).toMatch(
      /`main` requires branches to be up to date.*`v0.1` is a release branch the bot never rewrites/,
    );
  });

  it('treats a squash label on a merge-back as a merge-back all the same', () => {
    const pr = mergeBack({ behindBase: true, labels: ['status/3-needs-merge', 'bot/merge-method-squash'] });
    expect(decide(pr)).toMatchObject({ kind: 'merge', method: 'merge', mergeBack: true });
  });

  it('follows the configured release-branch pattern, and ignores a fork’s branch of that name', () => {
    const settings = { ...defaultMergeSettings, releaseBranches: ['release/**'] };
    const release = mergeBack({ headRef: 'release/2.0/x', behindBase: true });
    expect(decideNextStep(release, settings, 'empty').decision).toMatchObject({ mergeBack: true });
    expect(decideNextStep(mergeBack({ behindBase: true }), settings, 'empty').decision).toMatchObject({
      kind: 'update',
      strategy: 'rebase',
    });
    expect(decide(mergeBack({ sameRepo: false, behindBase: true }))).toMatchObject({ kind: 'update' });
  });
});

describe('the rewrite guard', () => {
  const facts = {
    headRef: 'feature/x',
    sameRepo: true,
    defaultBranch: 'main',
    headProtected: false,
    headIsBaseOfOpenPull: false,
  };
  it('lets a contributor’s topic branch be rebased', () => {
    expect(rewriteRefusal(facts, ['v*'])).toBeUndefined();
    expect(rewriteRefusal({ ...facts, headRef: 'v1.2', sameRepo: false }, ['v*'])).toBeUndefined();
  });
  it('refuses release, protected, default and stacked-base branches, saying which', () => {
    expect(rewriteRefusal({ ...facts, headRef: 'v1.2' }, ['v*'])).toBe('`v1.2` is a release branch');
    expect(rewriteRefusal({ ...facts, headProtected: true }, ['v*'])).toBe(
      '`feature/x` is a protected branch',
    );
    expect(rewriteRefusal({ ...facts, headIsBaseOfOpenPull: true }, ['v*'])).toBe(
      '`feature/x` is the base of another open pull request',
    );
    expect(rewriteRefusal({ ...facts, headRef: 'main' }, ['v*'])).toBe('`main` is the default branch');
  });
  it('matches globs segment by segment', () => {
    expect(isReleaseBranch('v2.11', ['v*'])).toBe(true);
    expect(isReleaseBranch('v2/x', ['v*'])).toBe(false);
    expect(isReleaseBranch('release/2.0/x', ['release/**'])).toBe(true);
    expect(isReleaseBranch('vx', ['v?'])).toBe(true);
    expect(isReleaseBranch('v1.2', ['v1.?'])).toBe(true);
    expect(isReleaseBranch('v1x2', ['v1.2'])).toBe(false);
  });
});

describe('time in the queue', () => {
  const settings = {
    policy: { ...defaultMergeSettings, retryNumber: 2 },
    commitMessage: 'empty' as const,
    ciTimeoutMs: 3_600_000,
  };
  const now = new Date('2026-01-01T12:00:00.000Z');
  const retryAt = '2026-01-01T12:00:30.000Z';
  const failing = { checkRuns: [{ name: 'test', status: 'completed' as const, conclusion: 'failure' }] };
  const check = (retryOn: 'ci' | 'merge') => ({
    externalId: encodeMergeCheckState({ retryAt, retryOn }),
    startedAt: undefined,
  });

  it('steps aside until the retry is due, and says when to wake up', () => {
    const step = decideInQueue(
      { facts: readyPullRequest(failing), mergeCheck: check('ci'), ciPendingSince: undefined },
      settings,
      now,
    );
    expect(step.decision.kind).toBe('retry-pending');
    expect(step.wake).toEqual({ at: retryAt, why: 'retry' });
  });

  it('hands over to a human once retries are spent only when the last interval ends', () => {
    const spent = readyPullRequest({ ...failing, labels: ['status/3-needs-merge', 'bot/merge-retry-2'] });
    const input = { facts: spent, mergeCheck: check('ci'), ciPendingSince: undefined };
    expect(decideInQueue(input, settings, now)).toMatchObject({
      decision: { kind: 'retry-pending' },
      wake: { at: retryAt, why: 'retry' },
    });
    expect(decideInQueue(input, settings, new Date(retryAt)).decision).toMatchObject({ kind: 'needs-human' });
    // Any other failure goes to a human at once, interval or not.
    const refused = { ...input, facts: { ...spent, reviews: [] } };
    expect(decideInQueue(refused, settings, now).decision.kind).toBe('needs-human');
  });

  it('goes on at once when the failed CI turned green during the interval', () => {
    const step = decideInQueue(
      { facts: readyPullRequest(), mergeCheck: check('ci'), ciPendingSince: undefined },
      settings,
      now,
    );
    expect(step.decision.kind).toBe('merge');
  });

  it('waits out the interval after a failed merge request, even when CI is green', () => {
    const step = decideInQueue(
      { facts: readyPullRequest(), mergeCheck: check('merge'), ciPendingSince: undefined },
      settings,
      now,
    );
    expect(step.decision.kind).toBe('retry-pending');
  });

  it('counts a wake-up that fires a hair early as due', () => {
    const early = new Date(Date.parse(retryAt) - 50);
    const step = decideInQueue(
      { facts: readyPullRequest(failing), mergeCheck: check('ci'), ciPendingSince: undefined },
      settings,
      early,
    );
    expect(step.decision).toMatchObject({ kind: 'retry', attempt: 1 });
  });

  it('schedules the CI timeout while CI runs, and hands over to a human once it is due', () => {
    const running = { checkRuns: [{ name: 'test', status: 'in_progress' as const, conclusion: null }] };
    const since = '2026-01-01T11:30:00.000Z';
    const waiting = decideInQueue(
      { facts: readyPullRequest(running), mergeCheck: undefined, ciPendingSince: since },
      settings,
      now,
    );
    expect(waiting.decision.kind).toBe('wait');
    expect(waiting.wake).toEqual({ at: '2026-01-01T12:30:00.000Z', why: 'ci-timeout' });
    const late = decideInQueue(
      { facts: readyPullRequest(running), mergeCheck: undefined, ciPendingSince: since },
      settings,
      new Date('2026-01-01T12:30:00.000Z'),
    );
    expect(late.decision).toMatchObject({
      kind: 'needs-human',
      reasons: [expect.stringMatching(/timed out after 1h/)],
    });
  });
});
