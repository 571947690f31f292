/**
 * `--version vX.Y.Z` on plan and prepare: the maintainer names the release instead of letting
 * the changes decide. It still has to make sense: after the previous release, not a tag that
 * exists, a patch of the branch's own line on a release branch, and new tags use `-rc.N`.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import { compareVersions, formatVersion, releaseLine, requireVersion, type Version } from './version.js';

export function requestedVersion(
  text: string,
  facts: {
    readonly previous: Version | null;
    readonly branch: string;
    readonly onReleaseBranch: boolean;
    readonly tags: readonly { readonly name: string }[];
  },
): { version: Version; reasons: string[] } {
  const version = requireVersion(text, '--version');
  const tag = formatVersion(version);
  const refuse = (message: string, hint: string) =>
    new AffineurError('AFF_ERR_RELEASE_BAD_BUMP', `--version ${text}: ${message}`, { hint });
  if (version.prerelease !== null && !/^rc\.\d+$/.test(version.prerelease)) {
    throw refuse(
      'new release candidates are written -rc.N.',
      `For example --version v${version.major}.${version.minor}.0-rc.1.`,
    );
  }
  if (version.prerelease !== null && version.patch !== 0) {
    throw refuse('only a new line (X.Y.0) has release candidates.', 'Release a patch without -rc.N.');
  }
  if (facts.tags.some((t) => t.name === tag)) {
    throw refuse(`${tag} is already tagged.`, 'Pick the next version, or leave --version out.');
  }
  if (facts.previous !== null && compareVersions(version, facts.previous) <= 0) {
    throw refuse(
      `it does not come after the previous release ${formatVersion(facts.previous)}.`,
      'A release must be newer than the one before it.',
    );
  }
  if (facts.onReleaseBranch && (releaseLine(version) !== facts.branch || version.prerelease !== null)) {
    throw refuse(
      `the release branch ${facts.branch} takes patches of ${facts.branch} only.`,
      `For example --version ${facts.branch}.${(facts.previous?.patch ?? 0) + 1}.`,
    );
  }
  return { version, reasons: [`--version asks for ${tag}`] };
}
