import { describe, expect, it } from 'vitest';
import type { Bump } from '../../../../release/version/bump.js';
import { bumpFromCommits } from '../../../../release/version/bump-from-commits.js';
import { bumpFromLabels } from '../../../../release/version/bump-from-labels.js';
import { nextVersion, type RequestedBump } from '../../../../release/version/next-version.js';
import { previousReleaseTag } from '../../../../release/version/previous-tag.js';
import { compareVersions, formatVersion, parseVersion } from '../../../../release/version/version.js';
import type { AffineurError } from '../../../../src/errors/affineur-error.js';

const next = (
  previous: string | null,
  bump: Bump | null,
  requested?: RequestedBump,
  onReleaseBranch = false,
) =>
  formatVersion(
    nextVersion({
      previous: previous === null ? null : (parseVersion(previous) ?? null),
      changes: { bump, reasons: [] },
      requested,
      onReleaseBranch,
    }).version,
  );

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as AffineurError).code;
  }
  return undefined;
};

describe('nextVersion', () => {
  it.each([
    ['v1.2.3', 'patch', undefined, 'v1.2.4'],
    ['v1.2.3', 'minor', undefined, 'v1.3.0'],
    ['v1.2.3', 'major', undefined, 'v2.0.0'],
    ['v1.2.3', null, 'patch', 'v1.2.4'],
    ['v1.2.3', 'patch', 'major', 'v2.0.0'],
    ['v1.2.3', 'patch', 'rc', 'v1.3.0-rc.1'],
    ['v1.2.3', 'major', 'rc', 'v2.0.0-rc.1'],
    ['v1.3.0-rc.1', 'patch', 'rc', 'v1.3.0-rc.2'],
    ['v1.3.0-rc.2', 'patch', undefined, 'v1.3.0'],
    ['v1.3.0-rc.2', null, 'minor', 'v1.3.0'],
    ['v1.3.0-rc.2', null, 'major', 'v2.0.0'],
    ['v3.2.0-rc1', null, 'rc', 'v3.2.0-rc.2'],
    [null, 'minor', undefined, 'v1.0.0'],
    [null, null, 'rc', 'v1.0.0-rc.1'],
  ] as const)('after %s with %s changes and %s requested: %s', (previous, bump, requested, expected) => {
    expect(next(previous, bump, requested)).toBe(expected);
  });

  it('before 1.0.0, bumps the minor for breaking changes, like release-please bump-minor-pre-major', () => {
    expect(next('v0.4.2', 'major')).toBe('v0.5.0');
    expect(next('v0.4.2', 'minor')).toBe('v0.5.0');
    expect(next('v0.4.2', 'patch')).toBe('v0.4.3');
    expect(next('v0.4.2', 'patch', 'major')).toBe('v1.0.0');
  });

  it('takes only patches on a release branch', () => {
    expect(next('v1.2.3', 'minor', undefined, true)).toBe('v1.2.4');
    expect(codeOf(() => next('v1.2.3', 'minor', 'minor', true))).toBe('AFF_ERR_RELEASE_BAD_BUMP');
  });

  it('refuses to release when nothing calls for it', () => {
    expect(codeOf(() => next('v1.2.3', null))).toBe('AFF_ERR_RELEASE_NOTHING_TO_RELEASE');
  });

  it('counts an explicit bump on the first release from 0.0.0', () => {
    const first = (requested: 'major' | 'minor' | 'patch' | 'rc' | undefined) =>
      formatVersion(
        nextVersion({
          previous: null,
          changes: { bump: 'minor', reasons: [] },
          requested,
          onReleaseBranch: false,
        }).version,
      );
    expect(first('minor')).toBe('v0.1.0');
    expect(first('patch')).toBe('v0.0.1');
    expect(first('major')).toBe('v1.0.0');
    expect(first(undefined)).toBe('v1.0.0');
    expect(first('rc')).toBe('v1.0.0-rc.1');
  });

  it('starts at a configured initial version', () => {
    const version = nextVersion({
      previous: null,
      changes: { bump: 'minor', reasons: [] },
      initialVersion: parseVersion('v0.1.0'),
      onReleaseBranch: false,
    }).version;
    expect(formatVersion(version)).toBe('v0.1.0');
  });
});

describe('bumps from changes', () => {
  it('reads conventional commits with conventional-recommended-bump', async () => {
    expect((await bumpFromCommits(['fix: a', 'chore: b'])).bump).toBe('patch');
    expect((await bumpFromCommits(['fix: a', 'feat(x): b'])).bump).toBe('minor');
    expect((await bumpFromCommits(['feat!: drop the old API'])).bump).toBe('major');
    expect((await bumpFromCommits(['fix: a\n\nBREAKING CHANGE: gone'])).bump).toBe('major');
    expect((await bumpFromCommits(['chore: a', 'docs: b', 'ci: c'])).bump).toBeNull();
  });

  it('reads Traefik kind labels', () => {
    expect(bumpFromLabels([{ number: 1, labels: ['kind/bug/fix'] }]).bump).toBe('patch');
    expect(
      bumpFromLabels([
        { number: 1, labels: ['kind/bug/fix'] },
        { number: 2, labels: ['kind/enhancement'] },
      ]),
    ).toEqual({
      bump: 'minor',
      reasons: ['#1 is labelled for a patch release', '#2 is labelled for a minor release'],
    });
    expect(bumpFromLabels([{ number: 3, labels: ['kind/breaking'] }]).bump).toBe('major');
    expect(bumpFromLabels([{ number: 4, labels: ['area/documentation'] }]).bump).toBeNull();
  });
});

describe('versions and tags', () => {
  it('orders release candidates written either way before the final release', () => {
    const sorted = ['v3.2.0', 'v3.2.0-rc10', 'v3.2.0-rc.2', 'v3.1.7', 'v3.2.0-beta1']
      .map((t) => parseVersion(t))
      .filter((v) => v !== undefined)
      .sort(compareVersions)
      .map(formatVersion);
    expect(sorted).toEqual(['v3.1.7', 'v3.2.0-beta1', 'v3.2.0-rc.2', 'v3.2.0-rc10', 'v3.2.0']);
  });

  it('finds the previous release of the branch line, or the highest overall', () => {
    const tags = ['v1.2.0', 'v1.2.1', 'v1.3.0-rc.1', 'latest', 'v1.10.0'].map((name) => ({ name }));
    expect(previousReleaseTag(tags, 'main')?.tag).toBe('v1.10.0');
    expect(previousReleaseTag(tags, 'v1.2')?.tag).toBe('v1.2.1');
    expect(previousReleaseTag([{ name: 'latest' }], 'main')).toBeNull();
  });
});
