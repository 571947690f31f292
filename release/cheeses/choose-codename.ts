/**
 * Names a release line. A line that already has a codename keeps it (patches and later release
 * candidates of a line share it). A new line gets the requested cheese, if it is real and
 * unused, or else a deterministic pick: the same history always yields the same cheese, so a
 * dry run announces exactly what the real run will use.
 */
import { createHash } from 'node:crypto';
import { distance } from 'fastest-levenshtein';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Cheese, CheeseCatalog } from './cheese-catalog.js';
import type { CodenameHistory } from './codename-history.js';
import { cheeseSlug } from './slug.js';

export interface Codename {
  readonly name: string;
  readonly slug: string;
  /** Where it came from: the line's history, the --codename option, or the default pick. */
  readonly source: 'history' | 'requested' | 'picked';
}

export interface ChooseCodenameInput {
  readonly line: string;
  readonly history: CodenameHistory;
  readonly requested?: string | undefined;
  readonly catalog: CheeseCatalog;
}

export function chooseCodename(input: ChooseCodenameInput): Codename {
  const { line, history, requested, catalog } = input;
  const existing = history.byLine.get(line);
  if (existing !== undefined) {
    const cheese = catalog.find(existing);
    if (requested !== undefined && catalog.find(cheeseSlug(requested))?.slug !== existing) {
      throw new AffineurError(
        'AFF_ERR_RELEASE_CODENAME_USED',
        `release line ${line} is already named "${cheese?.name ?? existing}"; it cannot be renamed "${requested}".`,
        { hint: 'Patches and release candidates keep their line codename: drop --codename.' },
      );
    }
    return { name: cheese?.name ?? existing, slug: existing, source: 'history' };
  }

  const isUsed = (cheese: Cheese) => history.used.has(cheese.slug);
  const unused = catalog.offered.filter((c) => !isUsed(c));

  if (requested !== undefined) {
    const slug = cheeseSlug(requested);
    const cheese = catalog.find(slug);
    if (!cheese?.offered) {
      throw new AffineurError(
        'AFF_ERR_RELEASE_CODENAME_UNKNOWN',
        `"${requested}" is not a cheese of the curated list of French cheeses.`,
        { hint: suggestionHint(slug, unused) },
      );
    }
    if (isUsed(cheese)) {
      const owner = [...history.byLine].find(([, s]) => s === cheese.slug)?.[0];
      throw new AffineurError(
        'AFF_ERR_RELEASE_CODENAME_USED',
        `"${cheese.name}" already names release line ${owner ?? '(unknown)'}.`,
        { hint: suggestionHint(slug, unused) },
      );
    }
    return { name: cheese.name, slug: cheese.slug, source: 'requested' };
  }

  const picked = unused[pickIndex(line, unused.length)];
  if (!picked) {
    throw new AffineurError(
      'AFF_ERR_RELEASE_CODENAMES_EXHAUSTED',
      `all ${catalog.offered.length} cheeses already name a release line.`,
      { hint: 'Add real French cheeses to release/cheeses/french-cheeses.ts.' },
    );
  }
  return { name: picked.name, slug: picked.slug, source: 'picked' };
}

/** A stable index from the line name: spreads picks over the list instead of walking it A to Z. */
function pickIndex(line: string, count: number): number {
  if (count === 0) return 0;
  const digest = createHash('sha256').update(`affineur codename for ${line}`).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(count));
}

/** Up to three unused cheeses whose slug is close to (or contains) what was typed. */
export function suggestCheeses(slug: string, unused: readonly Cheese[]): Cheese[] {
  if (slug === '') return [];
  const allowed = Math.max(2, Math.floor(slug.length / 3));
  return unused
    .map((cheese) => ({
      cheese,
      score: cheese.slug.includes(slug) || slug.includes(cheese.slug) ? 0 : distance(slug, cheese.slug),
    }))
    .filter((s) => s.score <= allowed)
    .sort((a, b) => a.score - b.score || a.cheese.slug.localeCompare(b.cheese.slug))
    .slice(0, 3)
    .map((s) => s.cheese);
}

function suggestionHint(slug: string, unused: readonly Cheese[]): string {
  const close = suggestCheeses(slug, unused);
  if (close.length === 0) return 'Run `affineur release codenames` to list the unused cheeses.';
  return `Did you mean ${close.map((c) => `"${c.name}" (${c.slug})`).join(', ')}?`;
}
