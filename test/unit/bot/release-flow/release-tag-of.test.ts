import { describe, expect, it } from 'vitest';
import { mergedMergeBackOf, releaseTagOf } from '../../../../bot/release-flow/on-release-event.js';
import { transientFailure } from '../../../../bot/release-flow/release-failure.js';
import { AffineurError } from '../../../../src/errors/affineur-error.js';

const pr = (overrides: Partial<Parameters<typeof releaseTagOf>[0]> = {}) => ({
  number: 7,
  title: 'Prepare release v0.1.0',
  merged: true,
  merge_commit_sha: 'a'.repeat(40),
  head: { ref: 'release/v0.1.0' },
  ...overrides,
});

describe('releaseTagOf (pure)', () => {
  it('reads the tag of a merged release pull request', () => {
    expect(releaseTagOf(pr())).toBe('v0.1.0');
    expect(
      releaseTagOf(pr({ title: 'Prepare release v1.0.0-rc.2', head: { ref: 'release/v1.0.0-rc.2' } })),
    ).toBe('v1.0.0-rc.2');
  });

  it('ignores closed-unmerged PRs, other titles, and look-alikes from other branches', () => {
    expect(releaseTagOf(pr({ merged: false, merge_commit_sha: null }))).toBeUndefined();
    expect(releaseTagOf(pr({ title: 'Fix the release script' }))).toBeUndefined();
    expect(releaseTagOf(pr({ head: { ref: 'my-fork-branch' } }))).toBeUndefined();
  });
});

describe('mergedMergeBackOf (pure)', () => {
  const repo = { full_name: 'acme/proxy' };
  const mergeBack = (overrides: Partial<Parameters<typeof mergedMergeBackOf>[0]> = {}) =>
    pr({
      number: 12,
      title: 'Merge branch v2.11 into v3.6',
      head: { ref: 'v2.11', repo },
      base: { ref: 'v3.6', repo },
      ...overrides,
    });

  it('reads a merged PR from a release branch of the same repository', () => {
    expect(mergedMergeBackOf(mergeBack())).toEqual({ number: 12, head: 'v2.11', base: 'v3.6' });
  });

  it('ignores unmerged PRs, other heads, and a fork’s branch named like a release line', () => {
    expect(mergedMergeBackOf(mergeBack({ merged: false }))).toBeUndefined();
    expect(mergedMergeBackOf(mergeBack({ head: { ref: 'release/v2.11.3', repo } }))).toBeUndefined();
    expect(
      mergedMergeBackOf(mergeBack({ head: { ref: 'v2.11', repo: { full_name: 'mallory/proxy' } } })),
    ).toBeUndefined();
  });
});

describe('transientFailure (pure)', () => {
  it('hands 5xx and rate limits back to the queue, with the original error', () => {
    const original = Object.assign(new Error('Bad Gateway'), { status: 502 });
    const wrapped = new AffineurError('AFF_ERR_RELEASE_FORGE', 'create tag failed', { cause: original });
    expect(transientFailure(wrapped)).toBe(original);
    const limited = Object.assign(new Error('slow down'), { status: 429 });
    expect(transientFailure(limited)).toBe(limited);
  });

  it('keeps final failures (4xx, plan errors) for the report', () => {
    const notFound = Object.assign(new Error('Not Found'), { status: 404 });
    expect(
      transientFailure(new AffineurError('AFF_ERR_RELEASE_FORGE', 'x', { cause: notFound })),
    ).toBeUndefined();
    expect(
      transientFailure(new AffineurError('AFF_ERR_RELEASE_NOTHING_TO_RELEASE', 'nothing')),
    ).toBeUndefined();
  });
});
