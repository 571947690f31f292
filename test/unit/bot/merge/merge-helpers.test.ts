import { describe, expect, it } from 'vitest';
import { closingIssueNumbers } from '../../../../bot/merge/closing-issues.js';
import { buildCommitMessage } from '../../../../bot/merge/commit-message.js';
import { decideNextStep } from '../../../../bot/merge/decide-next-step.js';
import { mergeCheckOutput } from '../../../../bot/merge/merge-check-output.js';
import { parseMergeCommand } from '../../../../bot/merge/merge-command.js';
import { defaultMergeSettings } from '../../../../bot/merge/merge-settings.js';
import { orderQueue } from '../../../../bot/merge/queue-order.js';
import { readyPullRequest } from './pull-request-fixture.js';

describe('commit messages', () => {
  const pr = {
    title: '  fix: keep the header  ',
    number: 12,
    body: 'Long description.\r\n\r\nCo-authored-by: Bob <bob@example.com>',
    coAuthors: [
      { name: 'Bob', email: 'bob@example.com' },
      { name: 'Bob B.', email: 'BOB@example.com' },
      { name: 'Carol', email: 'carol@example.com' },
    ],
  };

  it('titles every merge "<PR title> (#N)"', () => {
    expect(buildCommitMessage(pr, 'squash', 'empty').title).toBe('fix: keep the header (#12)');
  });

  it('empty: only the Co-authored-by lines, without duplicates', () => {
    expect(buildCommitMessage(pr, 'squash', 'empty').body).toBe(
      'Co-authored-by: Bob <bob@example.com>\nCo-authored-by: Carol <carol@example.com>',
    );
  });

  it('description: the PR description, then the credits', () => {
    expect(buildCommitMessage(pr, 'merge', 'description').body).toBe(
      'Long description.\n\nCo-authored-by: Bob <bob@example.com>\nCo-authored-by: Carol <carol@example.com>',
    );
  });

  it('github, rebase and ff: leave the message to GitHub or to the commits', () => {
    expect(buildCommitMessage(pr, 'squash', 'github').body).toBeUndefined();
    expect(buildCommitMessage(pr, 'rebase', 'empty').body).toBeUndefined();
    expect(buildCommitMessage(pr, 'ff', 'description').body).toBeUndefined();
  });
});

describe('queue order', () => {
  const entry = (number: number, labels: string[], readySince: string) => ({ number, labels, readySince });

  it('serves merge-backs, then retries, then in-progress, then the oldest ready', () => {
    const queue = [
      entry(1, [], '2026-01-01T00:00:00Z'),
      entry(2, ['status/4-merge-in-progress'], '2026-01-03T00:00:00Z'),
      entry(3, ['bot/merge-retry-1'], '2026-01-04T00:00:00Z'),
      entry(4, ['bot/merge-method-ff'], '2026-01-05T00:00:00Z'),
      entry(5, [], '2025-12-31T00:00:00Z'),
      entry(6, [], '2025-12-31T00:00:00Z'),
    ];
    expect(orderQueue(queue, defaultMergeSettings).map((e) => e.number)).toEqual([4, 3, 2, 5, 6, 1]);
  });
});

describe('/merge commands', () => {
  it.each([
    ['/merge', { kind: 'merge', method: undefined }],
    ['/merge squash', { kind: 'merge', method: 'squash' }],
    ['LGTM\n  /merge rebase  \nthanks', { kind: 'merge', method: 'rebase' }],
    ['/merge ff', { kind: 'merge', method: 'ff' }],
    ['/merge cancel', { kind: 'cancel' }],
  ])('reads %j', (comment, expected) => {
    expect(parseMergeCommand(comment)).toEqual(expected);
  });

  it('ignores prose that mentions the command, and refuses bad arguments', () => {
    expect(parseMergeCommand('please run /merge later')).toBeUndefined();
    expect(parseMergeCommand('/mergeit')).toBeUndefined();
    expect(parseMergeCommand('/merge octopus')).toEqual({
      kind: 'invalid',
      reason: 'unknown merge method "octopus"; use squash, merge, rebase or ff',
    });
    expect(parseMergeCommand('/merge squash now')).toMatchObject({ kind: 'invalid' });
  });
});

describe('closing keywords', () => {
  it('finds every issue of this repository named by a closing keyword', () => {
    const body = 'Fixes #12, #13 and #14.\nCloses: #20\nresolved o/r#21, other/repo#22\nSee #30.';
    expect(closingIssueNumbers(body, 'o/r')).toEqual([12, 13, 14, 20, 21]);
  });

  it('finds nothing without a keyword', () => {
    expect(closingIssueNumbers('Related to #5', 'o/r')).toEqual([]);
  });
});

describe('the affineur/merge check run', () => {
  it('lists each condition with a mark and the reason, and says what happens next', () => {
    const { conditions, decision } = decideNextStep(
      readyPullRequest({ milestone: undefined }),
      defaultMergeSettings,
      'empty',
    );
    const output = mergeCheckOutput(conditions, decision);
    expect(output).toMatchObject({ status: 'completed', conclusion: 'failure', title: 'A human is needed' });
    expect(output.summary).toContain('- ✓ **Reviews**: 3 of 3 approvals');
    expect(output.summary).toContain('- ✗ **Milestone**: no milestone is set');
    expect(output.summary).toContain('**Next:** Milestone: no milestone is set');
  });

  it('says "Merging", in progress, when the PR is ready to merge (the merge sets it to success)', () => {
    const { conditions, decision } = decideNextStep(readyPullRequest(), defaultMergeSettings, 'empty');
    expect(mergeCheckOutput(conditions, decision)).toMatchObject({
      status: 'in_progress',
      conclusion: undefined,
      title: 'Merging',
    });
  });
});
