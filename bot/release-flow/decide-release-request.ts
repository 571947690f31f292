/**
 * Who may start a release, and from which branch. Pure: the handler gathers the commenter's
 * permission and the repository's branches, this decides.
 *
 * Branch rule: `--branch` wins; a patch goes to the newest release branch `vX.Y` (patches are
 * cut from release branches, created when a minor or major is published); everything else is
 * released from the default branch.
 */
import { compareVersions, isReleaseLineBranch, parseVersion } from '../../release/version/version.js';
import { type ParsedReleaseComment, type ReleaseRequest, releaseCommandUsage } from './release-comment.js';

export interface ReleaseRequestFacts {
  readonly author: string;
  /** The commenter's repository permission: admin, maintain, write, triage, read or none. */
  readonly permission: string;
  readonly defaultBranch: string;
  readonly branches: readonly string[];
}

export type ReleaseRequestDecision =
  | { readonly kind: 'refuse'; readonly reply: string }
  | {
      readonly kind: 'prepare';
      readonly branch: string;
      readonly bump: ReleaseRequest['bump'];
      readonly codename: string | undefined;
    };

const canWrite = new Set(['admin', 'maintain', 'write']);

/** The polite refusal for someone who may not start a release (less than write), else undefined. */
export function permissionRefusal(author: string, permission: string): string | undefined {
  if (canWrite.has(permission)) return undefined;
  return `Thanks @${author}! Only people with write access to this repository can start a release with \`/release\`, so I did nothing. A maintainer will take a look.`;
}

export function decideReleaseRequest(
  parsed: ParsedReleaseComment,
  facts: ReleaseRequestFacts,
): ReleaseRequestDecision {
  const refusal = permissionRefusal(facts.author, facts.permission);
  if (refusal !== undefined) return { kind: 'refuse', reply: refusal };
  if (!parsed.ok) {
    return {
      kind: 'refuse',
      reply: `@${facts.author} ${parsed.problem} Write \`${releaseCommandUsage}\`.`,
    };
  }
  const { bump, codename, branch } = parsed.request;
  if (branch !== undefined && !facts.branches.includes(branch)) {
    return {
      kind: 'refuse',
      reply: `@${facts.author} there is no branch \`${branch}\` to release from.`,
    };
  }
  return { kind: 'prepare', branch: branch ?? defaultReleaseBranch(bump, facts), bump, codename };
}

function defaultReleaseBranch(bump: ReleaseRequest['bump'], facts: ReleaseRequestFacts): string {
  if (bump !== 'patch') return facts.defaultBranch;
  const lines = facts.branches
    .filter(isReleaseLineBranch)
    .map((name) => ({ name, version: parseVersion(`${name}.0`) }))
    .flatMap((b) => (b.version ? [{ name: b.name, version: b.version }] : []))
    .sort((a, b) => compareVersions(b.version, a.version));
  return lines[0]?.name ?? facts.defaultBranch;
}
