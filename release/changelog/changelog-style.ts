/**
 * The choices a repository makes about its changelog's wording. Traefik's own CHANGELOG.md has
 * used three contributor forms over the years: `by [login](url)` until early 2026, then briefly
 * `by @login`, then a bare `@login`. Our default is `by @login`: GitHub turns the mention into a
 * link in release notes, and the line still reads as a sentence.
 */
export const contributorStyles = ['by-mention', 'mention', 'link'] as const;
export type ContributorStyle = (typeof contributorStyles)[number];

export interface ChangelogStyle {
  /**
   * `by-mention`: `by @login`; `mention`: `@login` (Traefik since 2026); `link`:
   * `by [login](https://host/login)`, with titles HTML-escaped as Traefik's generator then did.
   */
  readonly contributors: ContributorStyle;
  /** List merge-back PRs ("Merge branch v2.11 into v3.6") under Misc, as Traefik does. */
  readonly mergeBacks: boolean;
}

export const defaultChangelogStyle: ChangelogStyle = { contributors: 'by-mention', mergeBacks: true };

export function isContributorStyle(value: string): value is ContributorStyle {
  return (contributorStyles as readonly string[]).includes(value);
}
