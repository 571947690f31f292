/**
 * How a release names itself, in one place so that prepare and publish always agree: the
 * GitHub release title `v3.6.0 (Ramequin)`, and the annotated tag message that starts with the
 * same line and carries a machine-readable `codename: slug` trailer (the history reader looks
 * for it first).
 */
import type { Codename } from '../cheeses/choose-codename.js';

export function releaseTitle(tag: string, codename: Pick<Codename, 'name'>): string {
  return `${tag} (${codename.name})`;
}

export function releaseTagMessage(tag: string, codename: Pick<Codename, 'name' | 'slug'>): string {
  return `${releaseTitle(tag, codename)}\n\ncodename: ${codename.slug}\n`;
}

/** Labels of the "Prepare release" pull request: a small documentation change, light review. */
export const releasePullRequestLabels = ['area/documentation', 'bot/light-review', 'size/S'] as const;
