/**
 * One line of a Traefik-style changelog, and how a merged pull request becomes one.
 *
 * Sections follow Traefik's labels: `kind/enhancement` → Enhancements, `kind/bug/fix` → Bug
 * fixes, `area/documentation` → Documentation, anything else → Misc, checked in that order.
 * The bold `[area]` tag lists the PR's `area/*` and `platform/*` labels with their prefixes
 * trimmed. Infrastructure work never appears. Merge-backs ("Merge branch v2.11 into v3.6") are
 * listed under Misc with their title as written, as Traefik lists them, unless the repository's
 * style leaves them out. "Prepare release" PRs of earlier candidates are listed too: only a final
 * vX.Y.0, which covers its whole line, ever sees them (each is tagged, so a candidate's or a
 * patch's range starts after it), and Traefik lists them there under Documentation.
 */
import { isReleaseLineBranch } from '../version/version.js';
import { type ChangelogStyle, defaultChangelogStyle } from './changelog-style.js';
import { entryTitle } from './entry-title.js';

export const changelogSections = ['Enhancements', 'Bug fixes', 'Documentation', 'Misc'] as const;
export type ChangelogSection = (typeof changelogSections)[number];

export interface ChangelogEntry {
  readonly section: ChangelogSection;
  readonly areas: readonly string[];
  readonly title: string;
  /** The pull request (`#123`) or commit (`abc1234`) the entry links to. */
  readonly reference: { readonly text: string; readonly url: string };
  readonly author?: { readonly login: string; readonly url: string } | undefined;
}

/** What the changelog needs to know about a merged pull request. */
export interface MergedPullRequest {
  readonly number: number;
  readonly title: string;
  readonly author: string;
  readonly labels: readonly string[];
  readonly mergedAt: string;
  readonly headRef: string;
  readonly baseRef: string;
  readonly mergeCommitSha: string | null;
}

// Longest first: `area/provider/k8s/crd` must lose `area/provider/`, not just `area/`.
const areaPrefixes = ['area/provider/', 'area/middleware/', 'area/', 'platform/'];
const notAreas = new Set(['area/documentation', 'area/infrastructure']);

export function areasFromLabels(labels: readonly string[]): string[] {
  const areas: string[] = [];
  for (const label of labels) {
    if (notAreas.has(label)) continue;
    const prefix = areaPrefixes.find((p) => label.startsWith(p));
    if (!prefix) continue;
    const area = label.slice(prefix.length);
    if (area !== '' && !areas.includes(area)) areas.push(area);
  }
  return areas;
}

export function sectionFromLabels(labels: readonly string[]): ChangelogSection {
  if (labels.includes('kind/enhancement')) return 'Enhancements';
  if (labels.includes('kind/bug/fix')) return 'Bug fixes';
  if (labels.includes('area/documentation')) return 'Documentation';
  return 'Misc';
}

export const isPrepareRelease = (title: string) => /^prepare release\b/i.test(title.trim());

/** A merge-back brings a release branch into another branch; its changes are already listed. */
export function isMergeBack(pr: Pick<MergedPullRequest, 'title' | 'headRef'>): boolean {
  return isReleaseLineBranch(pr.headRef) || /^merge (branch )?\S+ into \S+/i.test(pr.title.trim());
}

/** Why a pull request is left out of the changelog, or null when it belongs in it. */
export function skipReason(
  pr: MergedPullRequest,
  style: Pick<ChangelogStyle, 'mergeBacks'> = defaultChangelogStyle,
): string | null {
  if (pr.labels.includes('area/infrastructure')) return 'infrastructure';
  if (!style.mergeBacks && isMergeBack(pr)) return 'merge-back';
  return null;
}

export interface EntryLinks {
  pull(number: number): string;
  author(login: string): string;
}

export function entryFromPullRequest(
  pr: MergedPullRequest,
  links: EntryLinks,
  style: Pick<ChangelogStyle, 'mergeBacks'> = defaultChangelogStyle,
): ChangelogEntry | null {
  if (skipReason(pr, style) !== null) return null;
  // A merge-back carries other PRs' changes, already listed with their own kind and areas.
  const mergeBack = isMergeBack(pr);
  return {
    section: mergeBack ? 'Misc' : sectionFromLabels(pr.labels),
    areas: mergeBack ? [] : areasFromLabels(pr.labels),
    title: mergeBack ? pr.title.trim() : entryTitle(pr.title),
    reference: { text: `#${pr.number}`, url: links.pull(pr.number) },
    author: { login: pr.author, url: links.author(pr.author) },
  };
}
