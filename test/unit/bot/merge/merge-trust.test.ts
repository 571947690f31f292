/**
 * Only what a maintainer approved is merged: approvals tied to the commit they were given on,
 * merge labels that need write access, credits kept in the commit message, conflicts named.
 */
import { describe, expect, it } from 'vitest';
import { recordOfRun } from '../../../../bot/merge/bot-head-record.js';
import { buildCommitMessage, coAuthorTrailers } from '../../../../bot/merge/commit-message.js';
import { evaluateConditions } from '../../../../bot/merge/conditions.js';
import { decideNextStep } from '../../../../bot/merge/decide-next-step.js';
import { canWrite, needsWriteAccess, refuseLabels } from '../../../../bot/merge/label-trust.js';
import { defaultMergeSettings, type MergeSettings } from '../../../../bot/merge/merge-settings.js';
import { patchIdOf } from '../../../../bot/merge/patch-id.js';
import type { PullRequestFacts } from '../../../../bot/merge/pull-request-facts.js';
import { fixtureHeadSha, readyPullRequest } from './pull-request-fixture.js';

const settings: MergeSettings = { ...defaultMergeSettings, minReview: 1 };
const earlier = '0123456789abcdef0123456789abcdef01234567';
const approvedOn = (commitId: string | undefined): PullRequestFacts['reviews'] => [
  { user: 'bob', state: 'APPROVED', submittedAt: '2026-01-01T10:00:00Z', commitId },
];
const reviews = (facts: Partial<PullRequestFacts>, overrides: Partial<MergeSettings> = {}) =>
  evaluateConditions(readyPullRequest(facts), { ...settings, ...overrides }).find((c) => c.id === 'reviews');

describe('approvals are tied to commits', () => {
  it('counts an approval given on the head', () => {
    expect(reviews({ reviews: approvedOn(fixtureHeadSha) })).toMatchObject({ status: 'pass' });
  });

  it('drops an approval given before someone else pushed, and says why', () => {
    const result = reviews({ reviews: approvedOn(earlier), unchangedSince: [fixtureHeadSha] });
    expect(result).toMatchObject({ status: 'fail' });
    expect(result?.reason).toBe(
      '0 of 1 approval; @bob approved an earlier commit and someone other than the bot pushed since: a new review is needed',
    );
    expect(
      decideNextStep(readyPullRequest({ reviews: approvedOn(earlier) }), settings, 'empty').decision.kind,
    ).toBe('needs-human');
  });

  it('keeps it across the bot’s own updates that left the changes as they were', () => {
    expect(
      reviews({ reviews: approvedOn(earlier), unchangedSince: [fixtureHeadSha, earlier] }),
    ).toMatchObject({ status: 'pass', reason: '1 of 1 approval' });
  });

  it('keeps it after any push with approvalsSurvivePushes', () => {
    expect(reviews({ reviews: approvedOn(earlier) }, { approvalsSurvivePushes: true })).toMatchObject({
      status: 'pass',
    });
  });

  it('honours "dismiss stale approvals": only the head counts, whatever the settings', () => {
    const protection = { requiredChecks: [], strict: false, requiredApprovals: 0, dismissStaleReviews: true };
    const result = reviews(
      { reviews: approvedOn(earlier), unchangedSince: [fixtureHeadSha, earlier], protection },
      { approvalsSurvivePushes: true },
    );
    expect(result?.status).toBe('fail');
    expect(result?.reason).toContain('branch protection dismisses stale approvals');
    expect(reviews({ reviews: approvedOn(fixtureHeadSha), protection })?.status).toBe('pass');
  });

  it('never counts an approval whose commit is unknown', () => {
    expect(reviews({ reviews: approvedOn(undefined) })?.status).toBe('fail');
  });
});

describe('the bot’s head records', () => {
  const run = (slug: string, externalId: string) => ({
    name: 'affineur/update',
    external_id: externalId,
    app: { slug },
  });
  const record = JSON.stringify({ from: earlier, sameChanges: true });

  it('trusts a record from the bot’s own app only', () => {
    expect(recordOfRun(run('affineur', record), 'affineur[bot]')).toEqual({
      from: earlier,
      sameChanges: true,
    });
    expect(recordOfRun(run('other-app', record), 'affineur[bot]')).toBeUndefined();
    expect(recordOfRun(run('affineur', record), undefined)).toBeUndefined();
  });

  it('ignores a record that is not one', () => {
    expect(recordOfRun(run('affineur', 'not json'), 'affineur[bot]')).toBeUndefined();
    expect(
      recordOfRun(run('affineur', '{"from":"HEAD~1","sameChanges":true}'), 'affineur[bot]'),
    ).toBeUndefined();
  });
});

describe('git patch-id', () => {
  const diff = (context: string) =>
    [
      'diff --git a/a.txt b/a.txt',
      'index 1111111..2222222 100644',
      '--- a/a.txt',
      '+++ b/a.txt',
      '@@ -1,2 +1,2 @@',
      ` ${context}`,
      '-old',
      '+new',
      '',
    ].join('\n');

  it('is the same for the same change at another place, and differs for another change', async () => {
    const one = await patchIdOf(diff('line'));
    expect(one).toMatch(/^[0-9a-f]{40}$/);
    expect(await patchIdOf(diff('line').replace('@@ -1,2 +1,2 @@', '@@ -7,2 +7,2 @@'))).toBe(one);
    expect(await patchIdOf(diff('line').replace('+new', '+newer'))).not.toBe(one);
  });
});

describe('merge labels need write access', () => {
  it('covers the ready label, merge methods, no-rebase and light review', () => {
    for (const label of [
      'status/3-needs-merge',
      'bot/merge-method-ff',
      'bot/merge-no-rebase',
      'bot/light-review',
      'Status/3-Needs-Merge',
    ])
      expect(needsWriteAccess(label, settings)).toBe(true);
    for (const label of ['kind/bug', 'bot/no-merge', 'bot/need-human-merge', 'status/2-needs-review'])
      expect(needsWriteAccess(label, settings)).toBe(false);
  });

  it('reads GitHub’s role first: triage is not write, even as a legacy "read"', () => {
    expect(canWrite({ permission: 'read', role: 'triage' })).toBe(false);
    expect(canWrite({ permission: 'write', role: 'maintain' })).toBe(true);
    expect(canWrite({ permission: 'write', role: 'write' })).toBe(true);
    expect(canWrite({ permission: 'admin', role: 'admin' })).toBe(true);
    expect(canWrite({ permission: 'none', role: undefined })).toBe(false);
  });

  it('removes each label and explains once', () => {
    const actions = refuseLabels(5, [
      { label: 'status/3-needs-merge', addedBy: 'tina', permission: 'triage' },
      { label: 'bot/light-review', addedBy: 'tina', permission: 'triage' },
    ]);
    expect(actions.map((a) => a.type)).toEqual(['remove-label', 'remove-label', 'comment']);
    const comment = actions[2];
    expect(comment?.type === 'comment' && comment.body).toBe(
      'Thanks @tina! Only people with write access to this repository can add `status/3-needs-merge`, `bot/light-review`: they decide whether and how this pull request is merged, so the bot removed them. A maintainer will take it from here.',
    );
  });
});

describe('credits in squash and merge commits', () => {
  const pr = {
    title: 'feat: add a brie middleware',
    number: 9,
    body: 'Adds brie.\n\nCo-authored-by: Dave D <dave@example.com>\nco-authored-by: Bob Again <BOB@example.com>',
    coAuthors: [
      { name: 'Bob', email: 'bob@example.com' },
      { name: 'Carol', email: 'carol@example.com' },
    ],
  };

  it('keeps the description’s trailers after the commits’ credits, one per e-mail', () => {
    for (const method of ['squash', 'merge'] as const) {
      expect(buildCommitMessage(pr, method, 'empty').body).toBe(
        'Co-authored-by: Bob <bob@example.com>\nCo-authored-by: Carol <carol@example.com>\nCo-authored-by: Dave D <dave@example.com>',
      );
    }
    expect(buildCommitMessage(pr, 'squash', 'description').body).toBe(
      'Adds brie.\n\nCo-authored-by: Bob <bob@example.com>\nCo-authored-by: Carol <carol@example.com>\nCo-authored-by: Dave D <dave@example.com>',
    );
  });

  it('reads trailers from commit messages, ignoring lines that are not one', () => {
    expect(
      coAuthorTrailers(
        'fix: x\n\nCo-authored-by: Erin <erin@example.com>\nCo-authored-by: nobody\r\nSigned-off-by: A <a@b.c>',
      ),
    ).toEqual([{ name: 'Erin', email: 'erin@example.com' }]);
  });
});

describe('conflicts', () => {
  it('names the conflicting files', () => {
    const result = evaluateConditions(
      readyPullRequest({ mergeable: false, conflictingFiles: ['proxy/a.ts', 'docs/b.md'] }),
      settings,
    ).find((c) => c.id === 'mergeable');
    expect(result).toMatchObject({
      status: 'fail',
      reason: 'conflicts with `main` in `proxy/a.ts`, `docs/b.md`',
    });
  });
});
