/**
 * Merge-backs, as Traefik runs its release train: a patch on `v2.11` is brought into the newest
 * line (`v2.11 → v3.6`), and once that is merged, `v3.6` into the default branch. One hop at a
 * time, so each merge-back is a small PR reviewed and queued on its own, and a conflict shows up
 * on the line where it happens.
 *
 * A merge-back's head is a release branch: it is never rebased or force-pushed (the tag of the
 * patch lives on it). The labels ask the merge queue for a light review and a merge that keeps
 * the head as it is (`bot/merge-method-ff`: a fast-forward of the base, or a merge commit when
 * the base has moved on, as lobicornis does).
 */
import { compareVersions, isReleaseLineBranch, parseVersion, type Version } from '../version/version.js';

export interface MergeBackLabels {
  /** The merge queue's ready label (`merge.markers.needMerge`). */
  readonly ready: string;
  /** The light-review label (`merge.markers.lightReview`). */
  readonly lightReview: string;
  /** The merge method that never rewrites the head. */
  readonly method: string;
}

export const defaultMergeBackLabels: MergeBackLabels = {
  ready: 'status/3-needs-merge',
  lightReview: 'bot/light-review',
  method: 'bot/merge-method-ff',
};

export function mergeBackLabelList(labels: MergeBackLabels = defaultMergeBackLabels): string[] {
  return [labels.lightReview, labels.method, labels.ready];
}

export interface MergeBackPullRequest {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
}

const lineVersion = (branch: string): Version | undefined =>
  isReleaseLineBranch(branch) ? parseVersion(`${branch}.0`) : undefined;

/**
 * Where a release branch is merged back into: the newest release branch newer than it (Traefik
 * merges `v2.11` straight into `v3.6`: its v3.0…v3.5 branches still exist but are no longer
 * maintained), else the default branch. Undefined for a branch that is not a release line.
 */
export function mergeBackBase(
  branch: string,
  facts: { readonly defaultBranch: string; readonly branches: readonly string[] },
): string | undefined {
  const own = lineVersion(branch);
  if (own === undefined || branch === facts.defaultBranch) return undefined;
  let newest: { name: string; version: Version } | undefined;
  for (const name of facts.branches) {
    const version = lineVersion(name);
    if (version === undefined || compareVersions(version, own) <= 0) continue;
    if (!newest || compareVersions(version, newest.version) > 0) newest = { name, version };
  }
  return newest?.name ?? facts.defaultBranch;
}

/** Traefik's title for a merge-back PR, which is also how the changelog lists it under Misc. */
export const mergeBackTitle = (head: string, base: string) => `Merge branch ${head} into ${base}`;

export function mergeBackPullRequest(
  head: string,
  base: string,
  why: string,
  labels: MergeBackLabels = defaultMergeBackLabels,
): MergeBackPullRequest {
  return {
    head,
    base,
    title: mergeBackTitle(head, base),
    body: [
      `${why} Brings \`${head}\` into \`${base}\`.`,
      '',
      `The head is the release branch \`${head}\`: merge it as it is (fast-forward or merge commit), never rebase or force-push it.`,
      '',
    ].join('\n'),
    labels: mergeBackLabelList(labels),
  };
}
