import { describe, expect, it } from 'vitest';
import { buildCheeseCatalog, cheeseCatalog } from '../../../../release/cheeses/cheese-catalog.js';
import { cheeseAliases, frenchCheeseNames } from '../../../../release/cheeses/french-cheeses.js';
import { cheeseSlug } from '../../../../release/cheeses/slug.js';

// Traefik's release lines, 1.0 to 3.7: the reference for how codenames are slugged.
const traefikCodenames = [
  'reblochon',
  'camembert',
  'morbier',
  'raclette',
  'roquefort',
  'cancoillotte',
  'tetedemoine',
  'maroilles',
  'montdor',
  'cantal',
  'chevrotin',
  'picodon',
  'livarot',
  'brie',
  'rocamadour',
  'epoisses',
  'vacherin',
  'banon',
  'saintmarcelin',
  'mimolette',
  'beaufort',
  'comte',
  'munster',
  'saintnectaire',
  'chaource',
  'chabichou',
  'ramequin',
  'langres',
]; // prettier-ignore

describe('the curated list of French cheeses', () => {
  it('holds at least 300 cheeses', () => {
    expect(frenchCheeseNames.length).toBeGreaterThanOrEqual(300);
  });

  it('has no duplicate names, slugs or aliases', () => {
    const keys = frenchCheeseNames.flatMap((name) => [
      cheeseSlug(name),
      ...(cheeseAliases[cheeseSlug(name)] ?? []),
    ]);
    expect(new Set(keys).size).toBe(keys.length);
    expect(() => buildCheeseCatalog()).not.toThrow();
  });

  it('gives every alias to a cheese that is in the list', () => {
    const slugs = new Set(frenchCheeseNames.map(cheeseSlug));
    for (const owner of Object.keys(cheeseAliases)) expect(slugs, owner).toContain(owner);
  });

  it('writes slugs in lower-case ASCII letters and digits only', () => {
    for (const name of frenchCheeseNames) expect(cheeseSlug(name), name).toMatch(/^[a-z0-9]+$/);
  });

  it('is kept in alphabetical order of slugs, so that a reviewer sees duplicates', () => {
    const slugs = frenchCheeseNames.map(cheeseSlug);
    expect(slugs).toEqual([...slugs].sort());
  });

  it('recognises every Traefik codename', () => {
    for (const slug of traefikCodenames) expect(cheeseCatalog.find(slug), slug).toBeDefined();
  });

  it('never offers the Swiss Tête de Moine', () => {
    expect(cheeseCatalog.find('tetedemoine')?.offered).toBe(false);
    expect(cheeseCatalog.offered.map((c) => c.slug)).not.toContain('tetedemoine');
  });
});

describe('cheeseSlug', () => {
  it.each([
    ['Saint-Nectaire', 'saintnectaire'],
    ['Mont d’Or', 'montdor'],
    ["Mont d'Or", 'montdor'],
    ['Tête de Moine', 'tetedemoine'],
    ['Comté', 'comte'],
    ['Époisses', 'epoisses'],
    ['Cœur d’Arras', 'coeurdarras'],
    ['Pont-l’Évêque', 'pontleveque'],
    ['P’tit Basque', 'ptitbasque'],
  ])('slugs %s as %s', (name, slug) => {
    expect(cheeseSlug(name)).toBe(slug);
  });
});
