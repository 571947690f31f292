/**
 * Writes one release's section in the exact shape of Traefik's CHANGELOG.md:
 *
 *     ## [v3.6.0](https://github.com/O/R/tree/v3.6.0) (2025-11-07)
 *     [All Commits](https://github.com/O/R/compare/v3.5.0...v3.6.0)
 *
 *     **Enhancements:**
 *     - **[acme]** Add new certificatesresolvers options ([#11977](…/pull/11977) by @octocat)
 *
 * (the contributor as `by @login`, `@login` or `by [login](url)`: see changelog-style.ts). A final
 * vX.Y.0 compares from the previous line's first tag; the plan passes that as `previousTag`.
 * Sections come in a fixed order and empty ones are left out. Within a section, entries are
 * sorted by their area tag as Traefik's generator does (the tag compared as written, so
 * `[k8s/crd]` comes before `[k8s]`), entries without an area last; ties keep their input order.
 */
import { type ChangelogEntry, type ChangelogSection, changelogSections } from './changelog-entry.js';
import { type ContributorStyle, defaultChangelogStyle } from './changelog-style.js';
import { allCommitsUrl, type RepositoryLinks, treeUrl } from './repository-links.js';

export interface SectionHeading {
  readonly tag: string;
  readonly previousTag: string | null;
  /** YYYY-MM-DD, in UTC. */
  readonly date: string;
  readonly links: RepositoryLinks;
}

export function formatHeading(heading: SectionHeading): string {
  const { tag, previousTag, date, links } = heading;
  return `## [${tag}](${treeUrl(links, tag)}) (${date})\n[All Commits](${allCommitsUrl(links, previousTag, tag)})\n`;
}

export function formatSectionTitle(section: ChangelogSection): string {
  return `**${section}:**`;
}

export function formatEntryLine(
  entry: ChangelogEntry,
  contributors: ContributorStyle = defaultChangelogStyle.contributors,
): string {
  const area = entry.areas.length > 0 ? `**[${entry.areas.join(', ')}]** ` : '';
  const by = entry.author ? formatContributor(entry.author, contributors) : '';
  // Traefik's generator of the `by [login](url)` years HTML-escaped titles (`API &amp; Dashboard`);
  // its current lines keep them as written.
  const title = contributors === 'link' ? escapeHtml(entry.title) : entry.title;
  return `- ${area}${title} ([${entry.reference.text}](${entry.reference.url})${by})`;
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  "'": '&#39;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&'<>"]/g, (c) => htmlEscapes[c] ?? c);
}

function formatContributor(author: NonNullable<ChangelogEntry['author']>, style: ContributorStyle): string {
  switch (style) {
    case 'by-mention':
      return ` by @${author.login}`;
    case 'mention':
      return ` @${author.login}`;
    case 'link':
      return ` by [${escapeLinkText(author.login)}](${author.url})`;
  }
}

/** The key entries sort by: the area tag as written (with its closing bracket), untagged last. */
export function areaSortKey(areas: readonly string[]): string {
  return areas.length > 0 ? `0${areas.join(', ')}]` : '1';
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function sortEntries<T extends Pick<ChangelogEntry, 'areas'>>(entries: readonly T[]): T[] {
  // Array.prototype.sort is stable, which keeps merge order among entries of one area.
  return [...entries].sort((a, b) => byCodePoint(areaSortKey(a.areas), areaSortKey(b.areas)));
}

export function renderChangelogSection(
  heading: SectionHeading,
  entries: readonly ChangelogEntry[],
  contributors: ContributorStyle = defaultChangelogStyle.contributors,
): string {
  const blocks = [formatHeading(heading)];
  for (const section of changelogSections) {
    const inSection = sortEntries(entries.filter((e) => e.section === section));
    if (inSection.length === 0) continue;
    const lines = inSection.map((entry) => formatEntryLine(entry, contributors));
    blocks.push(`${formatSectionTitle(section)}\n${lines.join('\n')}\n`);
  }
  return blocks.join('\n');
}

function escapeLinkText(text: string): string {
  return text.replace(/([[\]])/g, '\\$1');
}
