/**
 * Puts a release's section at the top of CHANGELOG.md. Idempotent: when the file already has a
 * section for that tag (a re-run, or a retried job), that section is replaced where it stands,
 * so running twice never duplicates it. A title line above the first section (`# Changelog`) is
 * kept on top.
 */
export const changelogPath = 'CHANGELOG.md';

const sectionStart = /^## \[/m;

export function prependToChangelog(existing: string | undefined, tag: string, section: string): string {
  const body = section.endsWith('\n') ? section : `${section}\n`;
  const text = existing ?? '';
  const own = findSection(text, tag);
  if (own) return `${text.slice(0, own.start)}${body}${separator(text.slice(own.end))}${text.slice(own.end)}`;

  const first = sectionStart.exec(text);
  if (first) {
    return `${text.slice(0, first.index)}${body}\n${text.slice(first.index)}`;
  }
  if (text.trim() === '') return body;
  // A file with a title but no release yet: the section goes under the title.
  return `${text.replace(/\n*$/, '\n\n')}${body}`;
}

/** The text of the section for `tag`, or undefined: what `publish` turns into release notes. */
export function changelogSectionFor(text: string, tag: string): string | undefined {
  const own = findSection(text, tag);
  return own ? text.slice(own.start, own.end).replace(/\n+$/, '\n') : undefined;
}

/** The tag of the newest section, which is the release a prepared CHANGELOG.md announces. */
export function newestChangelogTag(text: string): string | undefined {
  return /^## \[([^\]]+)\]/m.exec(text)?.[1];
}

function findSection(text: string, tag: string): { start: number; end: number } | undefined {
  const heading = new RegExp(`^## \\[${escapeRegExp(tag)}\\]`, 'm').exec(text);
  if (!heading) return undefined;
  const rest = text.slice(heading.index + 1);
  const next = sectionStart.exec(rest);
  const end = next ? heading.index + 1 + next.index : text.length;
  return { start: heading.index, end };
}

/** Sections are separated by one blank line; keep that true after a replacement. */
function separator(after: string): string {
  return after === '' ? '' : '\n';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
