/**
 * Chooses the next version. Rules, in order:
 *
 * 1. No previous release: the initial version (1.0.0 unless configured), or its `-rc.1`; an
 *    explicit `major|minor|patch` without a configured initial version counts from 0.0.0.
 * 2. The previous release is a candidate `vX.Y.0-rc.N`: `rc` asks for `-rc.N+1`; anything else
 *    promotes it to `vX.Y.0` (a `major` request on a minor line jumps to the next major).
 * 3. Otherwise `major|minor|patch` given explicitly win; `rc` starts candidates for the next
 *    minor (or major, when the changes are breaking); automatic picks the largest bump that the
 *    conventional commits and the pull-request kind labels call for.
 *
 * Before 1.0.0 the public API is not stable yet, so an automatic breaking change bumps the
 * minor version instead of reaching 1.0.0 by accident: this is release-please's
 * `bump-minor-pre-major` behaviour (semantic-release has no 0.x mode: it starts at 1.0.0).
 * Graduating to 1.0.0 is a decision a maintainer takes with an explicit `major`.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import { type Bump, type BumpDecision, bumpRank } from './bump.js';
import { formatVersion, type Version } from './version.js';

export type RequestedBump = Bump | 'rc';

export interface NextVersionInput {
  readonly previous: Version | null;
  /** What the changes call for (commits and labels combined). */
  readonly changes: BumpDecision;
  readonly requested?: RequestedBump | undefined;
  /** The first version when there is no previous release. */
  readonly initialVersion?: Version | undefined;
  /** True when releasing from a release branch `vX.Y`, which only takes patches. */
  readonly onReleaseBranch: boolean;
}

export interface NextVersion {
  readonly version: Version;
  readonly reasons: readonly string[];
}

const final = (major: number, minor: number, patch: number): Version => ({
  major,
  minor,
  patch,
  prerelease: null,
  rc: null,
});

const candidate = (major: number, minor: number, rc: number): Version => ({
  major,
  minor,
  patch: 0,
  prerelease: `rc.${rc}`,
  rc,
});

export function nextVersion(input: NextVersionInput): NextVersion {
  const { previous, changes, requested, onReleaseBranch } = input;
  const reasons = [...changes.reasons];

  if (onReleaseBranch && requested !== undefined && requested !== 'patch') {
    throw new AffineurError(
      'AFF_ERR_RELEASE_BAD_BUMP',
      `a release branch only takes patches, not "${requested}".`,
      {
        hint: 'Release minors, majors and candidates from the default branch.',
      },
    );
  }

  if (previous === null) {
    // An explicit bump on the first release counts from 0.0.0, so `/release minor` on a new
    // project gives v0.1.0; otherwise the configured initial version (1.0.0 by default).
    const fromZero =
      input.initialVersion === undefined &&
      (requested === 'major' || requested === 'minor' || requested === 'patch')
        ? { major: final(1, 0, 0), minor: final(0, 1, 0), patch: final(0, 0, 1) }[requested]
        : undefined;
    const initial = input.initialVersion ?? fromZero ?? final(1, 0, 0);
    reasons.push(
      fromZero
        ? `first release: ${requested} from 0.0.0`
        : `first release: starts at ${formatVersion(initial)}`,
    );
    const version = requested === 'rc' ? candidate(initial.major, initial.minor, 1) : initial;
    return { version, reasons };
  }

  if (previous.prerelease !== null) {
    if (requested === 'rc') {
      const rc = (previous.rc ?? 0) + 1;
      reasons.push(`next candidate after ${formatVersion(previous)}`);
      return { version: candidate(previous.major, previous.minor, rc), reasons };
    }
    if (requested === 'major' && previous.minor !== 0) {
      reasons.push('major requested');
      return { version: final(previous.major + 1, 0, 0), reasons };
    }
    reasons.push(`promotes ${formatVersion(previous)} to a final release`);
    return { version: final(previous.major, previous.minor, previous.patch), reasons };
  }

  let bump: Bump;
  if (requested === undefined) {
    if (changes.bump === null) {
      throw new AffineurError(
        'AFF_ERR_RELEASE_NOTHING_TO_RELEASE',
        `nothing since ${formatVersion(previous)} calls for a release (no feat, fix or breaking commit, no kind label).`,
        { hint: 'Force one with --bump patch|minor|major|rc if you still want a release.' },
      );
    }
    bump = changes.bump;
    if (previous.major === 0 && bump === 'major') {
      bump = 'minor';
      reasons.push('before 1.0.0, breaking changes bump the minor version');
    }
  } else if (requested === 'rc') {
    const breaking = changes.bump === 'major' && previous.major > 0;
    reasons.push('release candidate requested');
    return {
      version: breaking
        ? candidate(previous.major + 1, 0, 1)
        : candidate(previous.major, previous.minor + 1, 1),
      reasons,
    };
  } else {
    bump = requested;
    reasons.push(`${requested} requested`);
  }

  if (onReleaseBranch && bumpRank(bump) > bumpRank('patch')) {
    reasons.push(`a release branch only takes patches (the changes asked for ${bump})`);
    bump = 'patch';
  }

  switch (bump) {
    case 'major':
      return { version: final(previous.major + 1, 0, 0), reasons };
    case 'minor':
      return { version: final(previous.major, previous.minor + 1, 0), reasons };
    case 'patch':
      return { version: final(previous.major, previous.minor, previous.patch + 1), reasons };
  }
}
