/**
 * Writes one release's section in the exact shape of Traefik's CHANGELOG.md:
 *
 *     ## [v3.6.0](https://github.com/O/R/tree/v3.6.0) (2025-11-07)
 *     [All Commits](https://github.com/O/R/compare/v3.5.0...v3.6.0)
 *
 *     **Enhancements:**
 *     - **[acme]** Add new certificatesresolvers options ([#11977](…/pull/11977) by [octocat](…/octocat))
 *
 * Sections come in a fixed order and empty ones are left out. Within a section, entries are
 * sorted by their area tag as Traefik's generator does (the tag compared as written, so
 * `[k8s/crd]` comes before `[k8s]`), entries without an area last; ties keep their input order.
 */
import { type ChangelogEntry, type ChangelogSection, changelogSections } from './changelog-entry.js';
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

export function formatEntryLine(entry: ChangelogEntry): string {
  const area = entry.areas.length > 0 ? `**[${entry.areas.join(', ')}]** ` : '';
  const by = entry.author ? ` by [${escapeLinkText(entry.author.login)}](${entry.author.url})` : '';
  return `- ${area}${entry.title} ([${entry.reference.text}](${entry.reference.url})${by})`;
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

export function renderChangelogSection(heading: SectionHeading, entries: readonly ChangelogEntry[]): string {
  const blocks = [formatHeading(heading)];
  for (const section of changelogSections) {
    const inSection = sortEntries(entries.filter((e) => e.section === section));
    if (inSection.length === 0) continue;
    blocks.push(`${formatSectionTitle(section)}\n${inSection.map(formatEntryLine).join('\n')}\n`);
  }
  return blocks.join('\n');
}

function escapeLinkText(text: string): string {
  return text.replace(/([[\]])/g, '\\$1');
}
