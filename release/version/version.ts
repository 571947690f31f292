/**
 * Release versions as the tooling reads and writes them: `vX.Y.Z`, and release candidates
 * `vX.Y.0-rc.N`. Older tags written Traefik's way (`v3.2.0-rc1`, `v3.0.0-beta1`) are read too,
 * so a repository's history sorts correctly, but new tags always use the `-rc.N` form.
 */
import semver from 'semver';
import { AffineurError } from '../../src/errors/affineur-error.js';

export interface Version {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** The pre-release part as written (`rc.2`, `rc2`, `beta1`), or null for a final release. */
  readonly prerelease: string | null;
  /** The release-candidate number when the pre-release is an rc, else null. */
  readonly rc: number | null;
}

const versionPattern = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.]+))?$/;

/** Reads a tag or version; undefined when it is not a version (tags may be anything). */
export function parseVersion(text: string): Version | undefined {
  const match = versionPattern.exec(text.trim());
  if (!match) return undefined;
  const prerelease = match[4] ?? null;
  const rcMatch = prerelease ? /^rc\.?(\d+)$/.exec(prerelease) : null;
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease,
    rc: rcMatch ? Number(rcMatch[1]) : null,
  };
}

/** Like parseVersion, for input a user gave: a bad one is an error that says how to write it. */
export function requireVersion(text: string, where: string): Version {
  const version = parseVersion(text);
  if (!version) {
    throw new AffineurError('AFF_ERR_RELEASE_BAD_TAG', `${where}: "${text}" is not a version.`, {
      hint: 'Write versions as v1.4.0 or v1.4.0-rc.1.',
    });
  }
  return version;
}

export function formatVersion(version: Version): string {
  const base = `v${version.major}.${version.minor}.${version.patch}`;
  return version.prerelease ? `${base}-${version.prerelease}` : base;
}

/** The release line a version belongs to, which is also its release branch: `v3.6`. */
export function releaseLine(version: Pick<Version, 'major' | 'minor'>): string {
  return `v${version.major}.${version.minor}`;
}

export function isReleaseLineBranch(branch: string): boolean {
  return /^v\d+\.\d+$/.test(branch);
}

/** Semver order; `rc1` and `rc.1` both sort as release candidates. */
export function compareVersions(a: Version, b: Version): number {
  return semver.compare(toSemver(a), toSemver(b));
}

function toSemver(version: Version): string {
  const base = `${version.major}.${version.minor}.${version.patch}`;
  if (version.prerelease === null) return base;
  // `rc2` must sort after `rc10`'s predecessors too: normalise to `rc.2` for numeric ordering.
  const normalised = version.rc === null ? version.prerelease : `rc.${version.rc}`;
  return `${base}-${normalised}`;
}
