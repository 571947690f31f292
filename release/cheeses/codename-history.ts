/**
 * Which cheeses a repository has already used, and for which release line. Three sources, in
 * order of trust: the committed release/codenames.json, GitHub release titles, and annotated
 * tag messages (the only record a plain git clone has).
 */
import { parseVersion, releaseLine } from '../version/version.js';
import type { CheeseCatalog } from './cheese-catalog.js';
import type { CodenameRecord } from './codenames-file.js';
import { cheeseSlug } from './slug.js';

export interface CodenameHistory {
  /** Release line (`v3.6`) → the slug of its codename. */
  readonly byLine: ReadonlyMap<string, string>;
  /** Canonical slugs of every codename used by any line. */
  readonly used: ReadonlySet<string>;
}

export interface CodenameEvidence {
  readonly record: CodenameRecord;
  readonly tags: readonly { readonly name: string; readonly message?: string | undefined }[];
  readonly releases: readonly { readonly tagName: string; readonly title: string }[];
}

export function readCodenameHistory(evidence: CodenameEvidence, catalog: CheeseCatalog): CodenameHistory {
  const byLine = new Map<string, string>();
  const canonical = (slug: string) => catalog.find(slug)?.slug ?? slug;
  const learn = (tagName: string, text: string | undefined) => {
    const version = parseVersion(tagName);
    if (!version || !text) return;
    const slug = codenameInText(text, catalog);
    const line = releaseLine(version);
    if (slug && !byLine.has(line)) byLine.set(line, canonical(slug));
  };
  for (const [line, slug] of Object.entries(evidence.record)) byLine.set(line, canonical(slug));
  for (const release of evidence.releases) learn(release.tagName, release.title);
  for (const tag of evidence.tags) learn(tag.name, tag.message);
  return { byLine, used: new Set(byLine.values()) };
}

const trailer = /^codename:\s*([a-z0-9]+)\s*$/im;
const versionToken = /\bv?\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?\b/g;

/**
 * Finds the codename in a release title or tag message. An explicit `codename: slug` trailer
 * (what affineur writes) wins. Otherwise the words around the version are matched against the
 * catalog, a few words at a time so that "Mont d'Or" is found, but never inside a longer word:
 * "avoid" does not name the cheese Void.
 */
export function codenameInText(text: string, catalog: CheeseCatalog): string | undefined {
  const explicit = trailer.exec(text);
  if (explicit?.[1]) return explicit[1];
  const firstLine = text.split('\n', 1)[0] ?? '';
  const words = firstLine
    .replace(versionToken, ' ')
    .split(/[\s()[\]{},;:!?"«»—–/|]+/u)
    .filter((w) => w !== '');
  for (let size = Math.min(5, words.length); size >= 1; size--) {
    for (let start = 0; start + size <= words.length; start++) {
      const slug = cheeseSlug(words.slice(start, start + size).join(' '));
      if (slug !== '' && catalog.find(slug)) return slug;
    }
  }
  return undefined;
}
