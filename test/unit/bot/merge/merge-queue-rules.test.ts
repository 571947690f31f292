import { describe, expect, it } from 'vitest';
import {
  defaultRepoConfig,
  mergeRepoConfig,
  parseRepoConfigFile,
} from '../../../../bot/config/parse-repo-config.js';
import { decideInQueue } from '../../../../bot/merge/decide-in-queue.js';
import { decodeMergeCheckState, encodeMergeCheckState } from '../../../../bot/merge/merge-check-state.js';
import { planMergeCommand } from '../../../../bot/merge/merge-command-actions.js';
import { mergeQueueSettings } from '../../../../bot/merge/merge-settings-from-config.js';
import { mergeTriggerOf, sweepEventName } from '../../../../bot/merge/merge-trigger.js';
import type { PullRequestFacts } from '../../../../bot/merge/pull-request-facts.js';
import { readyPullRequest } from './pull-request-fixture.js';

const settings = mergeQueueSettings(defaultRepoConfig());
const now = new Date('2026-03-01T12:00:00Z');
const inQueue = (
  facts: Partial<PullRequestFacts>,
  extra: { externalId?: string; startedAt?: string; ciPendingSince?: string } = {},
) =>
  decideInQueue(
    {
      facts: readyPullRequest(facts),
      mergeCheck: { externalId: extra.externalId ?? '', startedAt: extra.startedAt },
      ciPendingSince: extra.ciPendingSince,
    },
    { ...settings, policy: { ...settings.policy, retryNumber: 2 } },
    now,
  ).decision;

describe('merge settings from .github/affineur.yml', () => {
  it('maps the merge section, and the need-human label always blocks', () => {
    const mapped = mergeQueueSettings(
      mergeRepoConfig([
        parseRepoConfigFile(
          [
            'merge:',
            '  enabled: true',
            '  dryRun: false',
            '  method: rebase',
            '  blockingLabels: [bot/no-merge]',
            '  retry: { number: 3, interval: 30s }',
            '  ciTimeout: 20m',
            '  markers: { needMerge: ready-to-merge }',
          ].join('\n'),
          '.github/affineur.yml',
        ),
      ]),
    );
    expect(mapped).toMatchObject({
      enabled: true,
      dryRun: false,
      retryIntervalMs: 30_000,
      ciTimeoutMs: 1_200_000,
      policy: {
        readyLabel: 'ready-to-merge',
        defaultMethod: 'rebase',
        retryNumber: 3,
        blockingLabels: ['bot/need-human-merge', 'bot/no-merge'],
        ignoredChecks: ['affineur/merge'],
      },
    });
  });

  it('is off and dry by default, so installing the app never merges by surprise', () => {
    expect(settings).toMatchObject({ enabled: false, dryRun: true, ciTimeoutMs: 3_600_000 });
  });
});

describe('the policy in the queue (retry interval and CI timeout)', () => {
  const failing = { checkRuns: [{ name: 'test', status: 'completed' as const, conclusion: 'failure' }] };

  it('lets a PR whose retry is not due yet step aside, whether CI still fails or is green now', () => {
    const externalId = encodeMergeCheckState({ retryAt: '2026-03-01T12:01:00Z' });
    const labels = ['status/3-needs-merge', 'bot/merge-retry-1'];
    expect(inQueue({ ...failing, labels }, { externalId })).toMatchObject({
      kind: 'retry-pending',
      until: '2026-03-01T12:01:00Z',
    });
    expect(inQueue({ labels }, { externalId })).toMatchObject({ kind: 'retry-pending' });
  });

  it('retries again once the interval has passed', () => {
    const externalId = encodeMergeCheckState({ retryAt: '2026-03-01T11:59:00Z' });
    expect(
      inQueue({ ...failing, labels: ['status/3-needs-merge', 'bot/merge-retry-1'] }, { externalId }),
    ).toMatchObject({ kind: 'retry', attempt: 2 });
  });

  it('takes a PR out when its CI runs longer than ciTimeout, and only then', () => {
    const running = { checkRuns: [{ name: 'test', status: 'in_progress' as const, conclusion: null }] };
    expect(inQueue(running, { ciPendingSince: '2026-03-01T10:59:00Z' })).toEqual({
      kind: 'needs-human',
      reasons: ['CI: timed out after 1h (running: test)'],
    });
    expect(inQueue(running, { ciPendingSince: '2026-03-01T11:30:00Z' })).toMatchObject({ kind: 'wait' });
  });

  it('counts a required check that never reported from when the bot first saw the head', () => {
    const protection = { requiredChecks: ['ci/e2e'], strict: false, requiredApprovals: 0 };
    expect(inQueue({ protection }, { startedAt: '2026-03-01T10:00:00Z' })).toMatchObject({
      kind: 'needs-human',
    });
  });
});

describe('the check run state', () => {
  it('round-trips the retry time and ignores foreign external ids', () => {
    const state = { retryAt: '2026-03-01T12:01:00.000Z' };
    expect(decodeMergeCheckState(encodeMergeCheckState(state))).toEqual(state);
    expect(encodeMergeCheckState({})).toBe('');
    expect(decodeMergeCheckState('build-1234')).toEqual({});
    expect(decodeMergeCheckState('affineur-merge;retry-at=soon')).toEqual({});
  });
});

describe('which events wake the merge queue', () => {
  const options = { mergeCheckName: 'affineur/merge', botLogin: 'affineur[bot]' };
  const pull = { number: 5, base: { ref: 'main' }, labels: [{ name: 'status/3-needs-merge' }] };

  it('wakes the PR’s queue for label, review, push and milestone changes by people', () => {
    for (const action of ['labeled', 'synchronize', 'ready_for_review', 'milestoned', 'closed']) {
      expect(
        mergeTriggerOf('pull_request', { action, pull_request: pull, sender: { login: 'alice' } }, options),
      ).toMatchObject({ kind: 'pull', number: 5, baseRef: 'main', labels: ['status/3-needs-merge'] });
    }
    expect(
      mergeTriggerOf('pull_request_review', { action: 'submitted', pull_request: pull }, options),
    ).toMatchObject({ kind: 'pull', number: 5 });
    expect(
      mergeTriggerOf(
        'pull_request',
        { action: 'unlabeled', label: { name: 'bot/need-human-merge' }, pull_request: pull },
        options,
      ),
    ).toMatchObject({ removedLabel: 'bot/need-human-merge' });
  });

  it('cleans up after a merge from the closed payload alone, and moves the queue when a human merged', () => {
    const merged = {
      ...pull,
      merged: true,
      body: 'Fixes #3',
      milestone: { number: 2 },
      head: { ref: 'feature', repo: { full_name: 'acme/app' } },
      base: { ref: 'main', repo: { full_name: 'acme/app', default_branch: 'main' } },
    };
    expect(
      mergeTriggerOf(
        'pull_request',
        { action: 'closed', pull_request: merged, sender: { login: 'affineur[bot]' } },
        options,
      ),
    ).toEqual({
      kind: 'merged',
      number: 5,
      baseRef: 'main',
      labels: ['status/3-needs-merge'],
      body: 'Fixes #3',
      milestoneNumber: 2,
      headRef: 'feature',
      sameRepo: true,
      defaultBranch: 'main',
      byHuman: false,
    });
  });

  it('ignores what the bot did itself, its own check run, and pending statuses', () => {
    const byBot = { sender: { login: 'affineur[bot]' } };
    expect(mergeTriggerOf('pull_request', { action: 'labeled', pull_request: pull, ...byBot }, options)).toBe(
      undefined,
    );
    expect(mergeTriggerOf('push', { ref: 'refs/heads/main', ...byBot }, options)).toBe(undefined);
    expect(
      mergeTriggerOf('pull_request', { action: 'synchronize', pull_request: pull, ...byBot }, options),
    ).toMatchObject({ kind: 'pull' });
    expect(
      mergeTriggerOf(
        'check_run',
        { action: 'completed', check_run: { name: 'affineur/merge', head_sha: 'abc' } },
        options,
      ),
    ).toBe(undefined);
    expect(mergeTriggerOf('status', { sha: 'abc', state: 'pending' }, options)).toBe(undefined);
    expect(mergeTriggerOf('pull_request', { action: 'opened', pull_request: pull }, options)).toBe(undefined);
  });

  it('turns CI results, pushes, comments and the sweep into their triggers', () => {
    expect(
      mergeTriggerOf(
        'check_run',
        { action: 'completed', check_run: { name: 'test', head_sha: 'abc' } },
        options,
      ),
    ).toEqual({ kind: 'sha', sha: 'abc' });
    expect(
      mergeTriggerOf(
        'check_run',
        { action: 'rerequested', check_run: { name: 'affineur/merge', head_sha: 'abc' } },
        options,
      ),
    ).toEqual({ kind: 'sha', sha: 'abc' });
    expect(mergeTriggerOf('status', { sha: 'abc', state: 'failure' }, options)).toEqual({
      kind: 'sha',
      sha: 'abc',
    });
    expect(mergeTriggerOf('push', { ref: 'refs/heads/v1.2', sender: { login: 'alice' } }, options)).toEqual({
      kind: 'base',
      ref: 'v1.2',
    });
    expect(mergeTriggerOf('push', { ref: 'refs/tags/v1.2.0', sender: { login: 'alice' } }, options)).toBe(
      undefined,
    );
    expect(
      mergeTriggerOf(
        'issue_comment',
        {
          action: 'created',
          issue: { number: 5, pull_request: {} },
          comment: { body: 'LGTM\n/merge rebase', user: { login: 'bob' } },
        },
        options,
      ),
    ).toMatchObject({ kind: 'command', number: 5, author: 'bob', authorIsBot: false });
    expect(
      mergeTriggerOf(
        'issue_comment',
        { action: 'created', issue: { number: 5 }, comment: { body: '/merge', user: { login: 'bob' } } },
        options,
      ),
    ).toBe(undefined);
    expect(mergeTriggerOf(sweepEventName, {}, options)).toEqual({ kind: 'all' });
  });
});

describe('/merge commands', () => {
  const pr = { number: 9, author: 'bob', permission: 'write', labels: ['kind/bug'], open: true };
  const plan = (command: Parameters<typeof planMergeCommand>[0], input: Partial<typeof pr> = {}) =>
    planMergeCommand(command, { ...pr, ...input }, settings.policy);

  it('queues the PR with the method asked, replacing another method and a need-human label', () => {
    expect(
      plan(
        { kind: 'merge', method: 'rebase' },
        { labels: ['bot/merge-method-squash', 'bot/need-human-merge', 'bot/merge-retry-2'] },
      ),
    ).toEqual({
      actions: [
        { type: 'remove-label', issue: 9, label: 'bot/merge-method-squash', reason: '/merge rebase by bob' },
        { type: 'remove-label', issue: 9, label: 'bot/need-human-merge', reason: '/merge rebase by bob' },
        { type: 'remove-label', issue: 9, label: 'bot/merge-retry-2', reason: '/merge rebase by bob' },
        {
          type: 'add-labels',
          issue: 9,
          labels: ['status/3-needs-merge', 'bot/merge-method-rebase'],
          reason: '/merge rebase by bob',
        },
      ],
      runQueue: true,
    });
  });

  it('takes the PR out of the queue on /merge cancel', () => {
    expect(
      plan({ kind: 'cancel' }, { labels: ['status/3-needs-merge', 'status/4-merge-in-progress', 'kind/bug'] })
        .actions,
    ).toEqual([
      { type: 'remove-label', issue: 9, label: 'status/3-needs-merge', reason: '/merge cancel by bob' },
      { type: 'remove-label', issue: 9, label: 'status/4-merge-in-progress', reason: '/merge cancel by bob' },
    ]);
  });

  it('politely refuses people without write access, and explains a bad command', () => {
    const refused = plan({ kind: 'merge', method: undefined }, { permission: 'read', author: 'eve' });
    expect(refused.runQueue).toBe(false);
    expect(refused.actions).toHaveLength(1);
    expect(refused.actions[0]).toMatchObject({ type: 'comment' });
    expect(JSON.stringify(refused.actions[0])).toContain('Only people with write access');
    expect(plan({ kind: 'invalid', reason: 'unknown merge method "yolo"' }).actions[0]).toMatchObject({
      type: 'comment',
      body: ':no_entry_sign: unknown merge method "yolo"',
    });
  });
});
