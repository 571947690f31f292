import { describe, expect, it } from 'vitest';
import { decideMergeability, type MergeFacts } from '../../../../../src/forge/pulls/merge-rules.js';
import type { ProtectionRecord, ReviewRecord } from '../../../../../src/forge/state/model.js';

const facts = (overrides: Partial<MergeFacts> = {}): MergeFacts => ({
  open: true,
  draft: false,
  headSha: 'h1',
  conflicts: false,
  behind: false,
  protection: undefined,
  statuses: [],
  checkRuns: [],
  reviews: [],
  roleOf: () => 'write',
  ...overrides,
});
const protection: ProtectionRecord = {
  requiredStatusChecks: { strict: true, contexts: ['ci'] },
  requiredApprovingReviewCount: 1,
  dismissStaleReviews: true,
  enforceAdmins: false,
};
const status = (state: 'success' | 'failure' | 'pending', sha = 'h1') => ({
  id: state === 'pending' ? 1 : 2,
  repoId: 1,
  sha,
  state,
  context: 'ci',
  description: null,
  targetUrl: null,
  creatorLogin: 'bot',
  createdAt: '',
  updatedAt: '',
});
const review = (state: ReviewRecord['state'], commitId = 'h1', id = 1): ReviewRecord => ({
  id,
  repoId: 1,
  number: 1,
  userLogin: 'carol',
  state,
  body: '',
  commitId,
  submittedAt: '',
});

describe('decideMergeability', () => {
  it('is clean without protection, dirty on conflicts, draft for drafts, unknown when closed', () => {
    expect(decideMergeability(facts()).state).toBe('clean');
    expect(decideMergeability(facts({ conflicts: true }))).toMatchObject({
      mergeable: false,
      state: 'dirty',
    });
    expect(decideMergeability(facts({ draft: true })).state).toBe('draft');
    expect(decideMergeability(facts({ open: false })).state).toBe('unknown');
  });

  it('blocks on missing, pending or failing required checks and on missing approvals', () => {
    const verdict = decideMergeability(facts({ protection }));
    expect(verdict.state).toBe('blocked');
    expect(verdict.blockers).toEqual([
      'Required status check "ci" is expected.',
      'At least 1 approving review is required by reviewers with write access.',
    ]);
    expect(
      decideMergeability(facts({ protection, statuses: [status('success')], reviews: [review('APPROVED')] }))
        .state,
    ).toBe('clean');
  });

  it('is behind when only strict up-to-date fails, and ignores stale approvals when they are dismissed', () => {
    const ok = { protection, statuses: [status('success')], reviews: [review('APPROVED')] };
    expect(decideMergeability(facts({ ...ok, behind: true })).state).toBe('behind');
    expect(decideMergeability(facts({ ...ok, reviews: [review('APPROVED', 'old')] })).state).toBe('blocked');
  });

  it('lets a later review replace an earlier one, and only counts reviewers with write access', () => {
    const base = { protection, statuses: [status('success')] };
    expect(
      decideMergeability(
        facts({ ...base, reviews: [review('APPROVED', 'h1', 1), review('CHANGES_REQUESTED', 'h1', 2)] }),
      ).blockers,
    ).toContain('A reviewer with write access requested changes.');
    expect(
      decideMergeability(facts({ ...base, reviews: [review('APPROVED')], roleOf: () => 'read' })).state,
    ).toBe('blocked');
  });

  it('is unstable when a check that is not required fails', () => {
    const run = {
      id: 3,
      repoId: 1,
      suiteId: 1,
      appId: 1,
      headSha: 'h1',
      name: 'lint',
      status: 'completed' as const,
      conclusion: 'failure' as const,
      startedAt: null,
      completedAt: null,
      externalId: null,
      detailsUrl: null,
      output: { title: null, summary: null, text: null },
    };
    expect(decideMergeability(facts({ checkRuns: [run] })).state).toBe('unstable');
  });
});
