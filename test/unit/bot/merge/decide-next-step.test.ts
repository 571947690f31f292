import { describe, expect, it } from 'vitest';
import { decideNextStep } from '../../../../bot/merge/decide-next-step.js';
import { defaultMergeSettings, type MergeSettings } from '../../../../bot/merge/merge-settings.js';
import type { PullRequestFacts } from '../../../../bot/merge/pull-request-facts.js';
import { readyPullRequest } from './pull-request-fixture.js';

const decide = (overrides: Partial<PullRequestFacts> = {}, settings: Partial<MergeSettings> = {}) =>
  decideNextStep(readyPullRequest(overrides), { ...defaultMergeSettings, ...settings }, 'empty').decision;

const condition = (overrides: Partial<PullRequestFacts>, id: string, settings: Partial<MergeSettings> = {}) =>
  decideNextStep(
    readyPullRequest(overrides),
    { ...defaultMergeSettings, ...settings },
    'empty',
  ).conditions.find((c) => c.id === id);

describe('the merge policy', () => {
  it('merges a ready PR with squash by default, at the sha it evaluated', () => {
    expect(decide()).toEqual({
      kind: 'merge',
      method: 'squash',
      sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      commitTitle: 'feat: add a cheese middleware (#42)',
      commitMessage: '',
    });
  });

  it('ignores PRs without the ready label, closed or merged PRs, and PRs left to a human', () => {
    expect(decide({ labels: [] })).toMatchObject({
      kind: 'skip',
      reason: 'not labelled status/3-needs-merge',
    });
    expect(decide({ state: 'closed' })).toMatchObject({ kind: 'skip', reason: 'closed' });
    expect(decide({ merged: true, state: 'closed' })).toMatchObject({
      kind: 'skip',
      reason: 'already merged',
    });
    expect(decide({ labels: ['status/3-needs-merge', 'bot/need-human-merge'] })).toMatchObject({
      kind: 'skip',
    });
  });

  describe('state and labels', () => {
    it('pauses a draft quietly, without a human: ready for review resumes it', () => {
      expect(decide({ draft: true })).toEqual({ kind: 'paused', reason: 'the pull request is a draft' });
    });

    it('pauses on bot/no-merge quietly (lobicornis), and blocks on extra configured labels', () => {
      expect(decide({ labels: ['status/3-needs-merge', 'bot/no-merge'] })).toEqual({
        kind: 'paused',
        reason: 'labelled `bot/no-merge`; remove it to resume',
      });
      // A real failure still goes to a human, even on a paused PR.
      expect(
        decide({
          labels: ['status/3-needs-merge', 'bot/no-merge', 'bot/need-human-merge'],
        }).kind,
      ).toBe('skip');
      const settings = { blockingLabels: [...defaultMergeSettings.blockingLabels, 'status/2-needs-design'] };
      expect(decide({ labels: ['status/3-needs-merge', 'status/2-needs-design'] }, settings).kind).toBe(
        'needs-human',
      );
    });

    it('uses exactly one merge-method label, and refuses two', () => {
      expect(decide({ labels: ['status/3-needs-merge', 'bot/merge-method-rebase'] })).toMatchObject({
        kind: 'merge',
        method: 'rebase',
        commitMessage: undefined,
      });
      expect(
        decide({ labels: ['status/3-needs-merge', 'bot/merge-method-rebase', 'bot/merge-method-merge'] }),
      ).toEqual({
        kind: 'needs-human',
        reasons: [
          'Merge method: `bot/merge-method-merge` and `bot/merge-method-rebase` conflict: keep exactly one',
        ],
      });
    });
  });

  describe('milestone', () => {
    it('is required by default and can be switched off', () => {
      expect(decide({ milestone: undefined })).toEqual({
        kind: 'needs-human',
        reasons: ['Milestone: no milestone is set'],
      });
      expect(decide({ milestone: undefined }, { needMilestone: false }).kind).toBe('merge');
    });
  });

  describe('reviews', () => {
    const review = (user: string, state: PullRequestFacts['reviews'][number]['state'], minute: number) => ({
      user,
      state,
      submittedAt: `2026-01-02T10:${String(minute).padStart(2, '0')}:00Z`,
      commitId: readyPullRequest().headSha,
    });

    it('needs minReview approvals, or minLightReview with bot/light-review', () => {
      const one = [review('bob', 'APPROVED', 1)];
      expect(condition({ reviews: one }, 'reviews')).toMatchObject({
        status: 'fail',
        reason: '1 of 3 approvals',
      });
      expect(
        condition({ reviews: one, labels: ['status/3-needs-merge', 'bot/light-review'] }, 'reviews'),
      ).toMatchObject({ status: 'pass', reason: '1 of 1 approval (light review)' });
    });

    it("counts each user's latest non-comment review, and a dismissal removes the user", () => {
      const reviews = [
        review('bob', 'CHANGES_REQUESTED', 1),
        review('bob', 'APPROVED', 2),
        review('bob', 'COMMENTED', 3),
        review('carol', 'APPROVED', 4),
        review('carol', 'DISMISSED', 5),
        review('dave', 'APPROVED', 6),
      ];
      expect(condition({ reviews }, 'reviews')).toMatchObject({ status: 'fail', reason: '2 of 3 approvals' });
    });

    it('ignores the author approving their own PR', () => {
      const reviews = [review('alice', 'APPROVED', 1), review('bob', 'APPROVED', 2)];
      expect(condition({ reviews }, 'reviews', { minReview: 2 })).toMatchObject({
        reason: '1 of 2 approvals',
      });
    });

    it('blocks on CHANGES_REQUESTED and names the reviewer', () => {
      const reviews = [...readyPullRequest().reviews, review('erin', 'CHANGES_REQUESTED', 9)];
      expect(decide({ reviews })).toEqual({
        kind: 'needs-human',
        reasons: ['Reviews: changes requested by @erin'],
      });
    });

    it('asks for at least what branch protection requires', () => {
      const protection = { requiredChecks: [], strict: false, requiredApprovals: 4 };
      expect(condition({ protection }, 'reviews')).toMatchObject({
        status: 'fail',
        reason: '3 of 4 approvals',
      });
    });
  });

  describe('CI', () => {
    it('accepts success, neutral and skipped check runs', () => {
      const checkRuns = ['success', 'neutral', 'skipped'].map((conclusion, i) => ({
        name: `c${i}`,
        status: 'completed' as const,
        conclusion,
      }));
      expect(decide({ checkRuns }).kind).toBe('merge');
    });

    it('waits silently while checks or statuses are pending', () => {
      expect(decide({ checkRuns: [{ name: 'test', status: 'in_progress', conclusion: null }] })).toEqual({
        kind: 'wait',
        reason: 'CI: running: test',
      });
      expect(decide({ statuses: [{ context: 'ci/build', state: 'pending' }] })).toMatchObject({
        kind: 'wait',
      });
    });

    it('waits for required checks that have not reported yet', () => {
      const protection = { requiredChecks: ['ci/build', 'e2e'], strict: false, requiredApprovals: 0 };
      expect(decide({ protection })).toEqual({
        kind: 'wait',
        reason: 'CI: required but not reported yet: e2e',
      });
    });

    it('retries a failure up to retry.number, then asks a human', () => {
      const failing = { checkRuns: [{ name: 'test', status: 'completed' as const, conclusion: 'failure' }] };
      expect(decide(failing)).toEqual({ kind: 'retry', attempt: 1, reason: 'CI: failing: test' });
      expect(decide({ ...failing, labels: ['status/3-needs-merge', 'bot/merge-retry-1'] })).toMatchObject({
        kind: 'retry',
        attempt: 2,
      });
      expect(decide({ ...failing, labels: ['status/3-needs-merge', 'bot/merge-retry-2'] })).toEqual({
        kind: 'needs-human',
        reasons: ['CI: failing: test after 2 retries'],
      });
      expect(decide({ statuses: [{ context: 'ci/build', state: 'error' }] }, { retryNumber: 0 })).toEqual({
        kind: 'needs-human',
        reasons: ['CI: failing: ci/build'],
      });
    });

    it('does not let its own merge check gate the merge', () => {
      expect(
        decide({ checkRuns: [{ name: 'affineur/merge', status: 'in_progress', conclusion: null }] }).kind,
      ).toBe('merge');
    });
  });

  describe('mergeability', () => {
    it('waits while GitHub computes it, and a conflict needs a human', () => {
      expect(decide({ mergeable: null })).toEqual({
        kind: 'wait',
        reason: 'No conflicts: GitHub is computing it',
      });
      expect(decide({ mergeable: false })).toEqual({
        kind: 'needs-human',
        reasons: ['No conflicts: conflicts with `main`'],
      });
    });
  });

  describe('bringing a PR up to date', () => {
    const strict = { requiredChecks: [], strict: true, requiredApprovals: 0 };

    it('merges a PR that is behind when nothing asks for it to be up to date', () => {
      expect(decide({ behindBase: true }).kind).toBe('merge');
    });

    it('rebases when protection is strict or forceNeedUpToDate is set', () => {
      expect(decide({ behindBase: true, protection: strict })).toEqual({
        kind: 'update',
        strategy: 'rebase',
        reason: '`feature/cheese` is behind `main`',
      });
      expect(decide({ behindBase: true }, { forceNeedUpToDate: true })).toMatchObject({ strategy: 'rebase' });
    });

    it('always brings a fast-forward merge up to date', () => {
      expect(
        decide({ behindBase: true, labels: ['status/3-needs-merge', 'bot/merge-method-ff'] }),
      ).toMatchObject({
        kind: 'update',
      });
    });

    it('merges the base in when the PR has merge commits or bot/merge-no-rebase', () => {
      expect(decide({ behindBase: true, protection: strict, hasMergeCommits: true })).toMatchObject({
        strategy: 'merge-base',
      });
      expect(
        decide({
          behindBase: true,
          protection: strict,
          labels: ['status/3-needs-merge', 'bot/merge-no-rebase'],
        }),
      ).toMatchObject({ strategy: 'merge-base' });
    });

    it('uses the update-branch API for a fork it cannot push to', () => {
      expect(decide({ behindBase: true, protection: strict, sameRepo: false })).toMatchObject({
        strategy: 'update-branch-api',
      });
      expect(
        decide({ behindBase: true, protection: strict, sameRepo: false, maintainerCanModify: true }),
      ).toMatchObject({
        strategy: 'rebase',
      });
    });

    it('never rewrites a same-repo branch named like the default branch', () => {
      expect(
        decide({
          behindBase: true,
          protection: strict,
          headRef: 'main',
          baseRef: 'v3.7',
          defaultBranch: 'main',
        }),
      ).toMatchObject({ kind: 'needs-human' });
    });
  });
});
