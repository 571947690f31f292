import { compareVersions, isReleaseLineBranch, parseVersion, releaseLine, type Version } from './version.js';

/**
 * The release the next one follows: the highest version tag of the branch's line when cutting
 * from a release branch `vX.Y`, otherwise the highest version tag overall. Non-version tags are
 * ignored.
 */
export function previousReleaseTag(
  tags: readonly { readonly name: string }[],
  branch: string,
): { tag: string; version: Version } | null {
  let best: { tag: string; version: Version } | null = null;
  for (const { name } of tags) {
    const version = parseVersion(name);
    if (!version || !name.startsWith('v')) continue;
    if (isReleaseLineBranch(branch) && releaseLine(version) !== branch) continue;
    if (!best || compareVersions(version, best.version) > 0) best = { tag: name, version };
  }
  return best;
}
