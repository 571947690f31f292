/**
 * Where a release line starts, for the final `vX.Y.0` that covers the whole line. Traefik's final
 * section lists everything since the previous line (its candidates included), and its
 * `[All Commits]` link compares from the previous line's first tag, its first candidate when it
 * had some (`v3.2.0-rc1...v3.3.0`).
 */
import { compareVersions, parseVersion, releaseLine, type Version } from './version.js';

interface Tagged {
  readonly name: string;
}

function versionTags(tags: readonly Tagged[]): { tag: string; version: Version }[] {
  return tags.flatMap(({ name }) => {
    const version = name.startsWith('v') ? parseVersion(name) : undefined;
    return version ? [{ tag: name, version }] : [];
  });
}

const lineBelow = (version: Version, line: Pick<Version, 'major' | 'minor'>) =>
  version.major < line.major || (version.major === line.major && version.minor < line.minor);

/** The newest release line older than `line` that has a tag (`v3.2` for `v3.3`), or null. */
export function previousLine(tags: readonly Tagged[], line: Pick<Version, 'major' | 'minor'>): string | null {
  let best: Version | undefined;
  for (const { version } of versionTags(tags)) {
    if (lineBelow(version, line) && (!best || compareVersions(version, best) > 0)) best = version;
  }
  return best ? releaseLine(best) : null;
}

/** The newest tag of the lines older than `line`: where the whole line's history starts. */
export function lastTagBeforeLine(
  tags: readonly Tagged[],
  line: Pick<Version, 'major' | 'minor'>,
): string | null {
  let best: { tag: string; version: Version } | undefined;
  for (const candidate of versionTags(tags)) {
    if (!lineBelow(candidate.version, line)) continue;
    if (!best || compareVersions(candidate.version, best.version) > 0) best = candidate;
  }
  return best?.tag ?? null;
}

/** The first tag of a line (`v3.2.0-rc1`, or `v3.2.0` without candidates), or null. */
export function firstTagOfLine(tags: readonly Tagged[], line: string): string | null {
  let best: { tag: string; version: Version } | undefined;
  for (const candidate of versionTags(tags)) {
    if (releaseLine(candidate.version) !== line) continue;
    if (!best || compareVersions(candidate.version, best.version) < 0) best = candidate;
  }
  return best?.tag ?? null;
}
