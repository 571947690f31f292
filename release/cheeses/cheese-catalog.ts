import { cheeseAliases, frenchCheeseNames, historicOnlyCheeseNames } from './french-cheeses.js';
import { cheeseSlug } from './slug.js';

export interface Cheese {
  /** How people write it: "Saint-Nectaire". */
  readonly name: string;
  /** How tags and codenames.json write it: `saintnectaire`. */
  readonly slug: string;
  /** Other slugs naming the same cheese; a history using one of them retires this cheese. */
  readonly aliases: readonly string[];
  /** False for names we recognise in history but never hand out (see french-cheeses.ts). */
  readonly offered: boolean;
}

export interface CheeseCatalog {
  /** The cheeses a new release line may be named after, in list order. */
  readonly offered: readonly Cheese[];
  /** Finds a cheese by its slug or one of its aliases (offered or historic-only). */
  find(slugOrAlias: string): Cheese | undefined;
}

export function buildCheeseCatalog(
  names: readonly string[] = frenchCheeseNames,
  aliases: Readonly<Record<string, readonly string[]>> = cheeseAliases,
  historicOnly: readonly string[] = historicOnlyCheeseNames,
): CheeseCatalog {
  const toCheese = (name: string, offered: boolean): Cheese => {
    const slug = cheeseSlug(name);
    return { name, slug, aliases: aliases[slug] ?? [], offered };
  };
  const all = [...names.map((n) => toCheese(n, true)), ...historicOnly.map((n) => toCheese(n, false))];
  const bySlug = new Map<string, Cheese>();
  for (const cheese of all) {
    for (const key of [cheese.slug, ...cheese.aliases]) {
      // The list is curated so this cannot happen; a unit test proves it. Failing loudly here
      // keeps a bad edit from silently letting two lines share one cheese.
      if (bySlug.has(key)) throw new Error(`cheese slug "${key}" is listed twice`);
      bySlug.set(key, cheese);
    }
  }
  const offered = all.filter((c) => c.offered);
  return { offered, find: (slug) => bySlug.get(slug) };
}

/** The catalog of release/cheeses, built once. */
export const cheeseCatalog: CheeseCatalog = buildCheeseCatalog();
