/**
 * The changelog of a repository with no pull-request data (a plain git clone): entries come from
 * conventional commits, rendered by conventional-changelog-writer into the same Traefik shape as
 * the pull-request path. The writer groups, sorts and drops reverted commits; each line is
 * formatted by the same function as pull-request entries, so both paths cannot drift apart.
 *
 *   feat → Enhancements, fix/perf → Bug fixes, docs → Documentation, other types → Misc;
 *   ci/build (infrastructure), release preparations and merge commits are left out.
 *   The scope becomes the area tag: `fix(acme,tls): …` → `**[acme, tls]**`.
 */

import { writeChangelogString } from 'conventional-changelog-writer';
import type { Commit } from 'conventional-commits-parser';
import { parseConventionalCommits } from '../version/bump-from-commits.js';
import {
  type ChangelogEntry,
  type ChangelogSection,
  changelogSections,
  isPrepareRelease,
} from './changelog-entry.js';
import {
  areaSortKey,
  formatEntryLine,
  formatHeading,
  formatSectionTitle,
  type SectionHeading,
} from './render-changelog-section.js';
import { commitUrl, pullUrl, type RepositoryLinks } from './repository-links.js';

export interface CommitFact {
  readonly sha: string;
  /** The full message: subject, body and trailers. */
  readonly message: string;
}

const sectionOfType: Record<string, ChangelogSection | null> = {
  feat: 'Enhancements',
  feature: 'Enhancements',
  fix: 'Bug fixes',
  perf: 'Bug fixes',
  docs: 'Documentation',
  ci: null,
  build: null,
};

/** A squash-merged PR ends its subject with `(#123)`: link the PR rather than the commit. */
const pullSuffix = /\s*\(#(\d+)\)\s*$/;

export function entryFromCommit(commit: Commit, sha: string, links: RepositoryLinks): ChangelogEntry | null {
  const header = (commit.header ?? '').trim();
  if (header === '' || /^merge (branch|pull request|remote-tracking)\b/i.test(header)) return null;
  const type = commit.type?.toLowerCase() ?? null;
  const section = type === null ? 'Misc' : sectionOfType[type] === undefined ? 'Misc' : sectionOfType[type];
  if (section === null) return null;
  const subject = (type === null ? header : (commit.subject ?? header)).trim();
  if (isPrepareRelease(subject)) return null;
  const pull = pullSuffix.exec(subject);
  const title = subject.replace(pullSuffix, '');
  const areas = (commit.scope ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return {
    section,
    areas,
    title: title.charAt(0).toUpperCase() + title.slice(1),
    reference: pull?.[1]
      ? { text: `#${pull[1]}`, url: pullUrl(links, Number(pull[1])) }
      : { text: sha.slice(0, 7), url: commitUrl(links, sha) },
  };
}

/** The writer's commit: the parsed commit plus the fields our transform fills in. */
type WriterCommit = Commit & {
  hash: string;
  section: string | null;
  sortKey: string | null;
  line: string | null;
};

const mainTemplate = `{{> header}}{{#each commitGroups}}
{{title}}
{{#each commits}}{{> commit}}
{{/each}}{{/each}}`;

/** Renders the section for `commits` (newest first, as `git log` lists them). */
export async function changelogFromCommits(
  heading: SectionHeading,
  commits: readonly CommitFact[],
): Promise<string> {
  const parsed = parseConventionalCommits(commits.map((c) => c.message));
  // The parser's `Commit` type (known fields & a string index) cannot be spelled as an object
  // literal; the cast only adds our four string fields.
  const input = parsed.map(
    (commit, i) =>
      ({ ...commit, hash: commits[i]?.sha ?? '', section: null, sortKey: null, line: null }) as WriterCommit,
  );
  const sectionOrder = (title: string) => changelogSections.findIndex((s) => formatSectionTitle(s) === title);
  return writeChangelogString<WriterCommit>(
    input,
    { version: heading.tag },
    {
      mainTemplate,
      headerPartial: formatHeading(heading),
      commitPartial: '{{line}}',
      footerPartial: '',
      groupBy: 'section',
      // The writer's default transform shortens hashes; ours builds the finished line instead.
      transform: (commit) => {
        const entry = entryFromCommit(commit, commit.hash, heading.links);
        if (!entry) return null;
        return {
          section: formatSectionTitle(entry.section),
          sortKey: areaSortKey(entry.areas),
          line: formatEntryLine(entry),
        };
      },
      commitGroupsSort: (a, b) => sectionOrder(a.title) - sectionOrder(b.title),
      commitsSort: (a, b) =>
        (a.sortKey ?? '') < (b.sortKey ?? '') ? -1 : (a.sortKey ?? '') > (b.sortKey ?? '') ? 1 : 0,
      // One release at a time: never split the commits into several version blocks.
      generateOn: () => false,
    },
  );
}
