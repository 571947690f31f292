import { describe, expect, it } from 'vitest';
import { cheeseCatalog } from '../../../../release/cheeses/cheese-catalog.js';
import { chooseCodename } from '../../../../release/cheeses/choose-codename.js';
import { codenameInText, readCodenameHistory } from '../../../../release/cheeses/codename-history.js';
import { formatCodenamesFile, parseCodenamesFile } from '../../../../release/cheeses/codenames-file.js';
import { AffineurError } from '../../../../src/errors/affineur-error.js';

const history = (record: Record<string, string>, tags: { name: string; message?: string }[] = []) =>
  readCodenameHistory({ record, tags, releases: [] }, cheeseCatalog);

const errorOf = (run: () => unknown): AffineurError => {
  try {
    run();
  } catch (error) {
    if (error instanceof AffineurError) return error;
    throw error;
  }
  throw new Error('expected an AffineurError');
};

describe('chooseCodename', () => {
  it('keeps the codename of an existing line (patches and later candidates)', () => {
    const codename = chooseCodename({
      line: 'v3.6',
      history: history({ 'v3.6': 'ramequin' }),
      catalog: cheeseCatalog,
    });
    expect(codename).toEqual({ name: 'Ramequin', slug: 'ramequin', source: 'history' });
  });

  it('picks the same unused cheese for the same history, every time', () => {
    const h = history({ 'v1.0': 'reblochon' });
    const first = chooseCodename({ line: 'v1.1', history: h, catalog: cheeseCatalog });
    const again = chooseCodename({
      line: 'v1.1',
      history: history({ 'v1.0': 'reblochon' }),
      catalog: cheeseCatalog,
    });
    expect(again).toEqual(first);
    expect(first.source).toBe('picked');
    expect(first.slug).not.toBe('reblochon');
  });

  it('never picks a cheese used by any line, even under an alias', () => {
    const used: Record<string, string> = {};
    let line = 0;
    // Name 40 lines in a row: each pick must be new.
    for (; line < 40; line++) {
      const h = history(used);
      const codename = chooseCodename({ line: `v1.${line}`, history: h, catalog: cheeseCatalog });
      expect(h.used.has(codename.slug)).toBe(false);
      used[`v1.${line}`] = codename.slug;
    }
    expect(new Set(Object.values(used)).size).toBe(40);
    expect(history({ 'v2.3': 'saintmarcelin' }).used.has('saintmarcellin')).toBe(true);
  });

  it('accepts a requested real, unused cheese written as people write it', () => {
    const codename = chooseCodename({
      line: 'v2.0',
      history: history({}),
      requested: 'Saint-Nectaire',
      catalog: cheeseCatalog,
    });
    expect(codename).toEqual({ name: 'Saint-Nectaire', slug: 'saintnectaire', source: 'requested' });
  });

  it('refuses an unknown cheese and suggests close matches', () => {
    const error = errorOf(() =>
      chooseCodename({ line: 'v2.0', history: history({}), requested: 'camembrt', catalog: cheeseCatalog }),
    );
    expect(error.code).toBe('AFF_ERR_RELEASE_CODENAME_UNKNOWN');
    expect(error.message).toContain('"Camembert" (camembert)');
  });

  it('refuses a used cheese, says which line has it, and suggests unused ones', () => {
    const error = errorOf(() =>
      chooseCodename({
        line: 'v2.1',
        history: history({ 'v2.0': 'saintnectaire' }),
        requested: 'saintnectaire',
        catalog: cheeseCatalog,
      }),
    );
    expect(error.code).toBe('AFF_ERR_RELEASE_CODENAME_USED');
    expect(error.message).toContain('v2.0');
    expect(error.hint).not.toContain('(saintnectaire)');
  });

  it('refuses to rename a line that already has a codename', () => {
    const error = errorOf(() =>
      chooseCodename({
        line: 'v3.6',
        history: history({ 'v3.6': 'ramequin' }),
        requested: 'langres',
        catalog: cheeseCatalog,
      }),
    );
    expect(error.code).toBe('AFF_ERR_RELEASE_CODENAME_USED');
  });

  it('refuses a cheese that is not French even when history knows it', () => {
    const error = errorOf(() =>
      chooseCodename({
        line: 'v1.0',
        history: history({}),
        requested: 'Tête de Moine',
        catalog: cheeseCatalog,
      }),
    );
    expect(error.code).toBe('AFF_ERR_RELEASE_CODENAME_UNKNOWN');
  });
});

describe('codename history', () => {
  it('reads codenames.json first, then release titles, then annotated tag messages', () => {
    const h = readCodenameHistory(
      {
        record: { 'v1.0': 'reblochon' },
        releases: [{ tagName: 'v1.1.0', title: 'v1.1.0 Camembert' }],
        tags: [
          { name: 'v1.0.0', message: 'v1.0.0 Morbier' },
          { name: 'v1.2.0', message: 'v1.2.0 Mont d’Or\n\ncodename: montdor' },
          { name: 'v1.3.0', message: 'Release v1.3.0 to avoid a crash' },
          { name: 'v1.4.0' },
        ],
      },
      cheeseCatalog,
    );
    expect(Object.fromEntries(h.byLine)).toEqual({
      'v1.0': 'reblochon',
      'v1.1': 'camembert',
      'v1.2': 'montdor',
    });
  });

  it('finds multi-word names and ignores words that merely contain one', () => {
    expect(codenameInText("v2.0.0 Mont d'Or", cheeseCatalog)).toBe('montdor');
    expect(codenameInText('v3.0.0 (saintnectaire)', cheeseCatalog)).toBe('saintnectaire');
    expect(codenameInText('Release v1.3.0 to avoid a brief outage', cheeseCatalog)).toBeUndefined();
  });
});

describe('release/codenames.json', () => {
  it('round-trips, lines sorted in version order', () => {
    const text = formatCodenamesFile({ 'v1.10': 'comte', 'v1.2': 'banon', 'v0.9': 'brie' });
    expect(text).toBe('{\n  "v0.9": "brie",\n  "v1.2": "banon",\n  "v1.10": "comte"\n}\n');
    expect(parseCodenamesFile(text)).toEqual({ 'v0.9': 'brie', 'v1.2': 'banon', 'v1.10': 'comte' });
  });

  it('refuses malformed records with the key at fault', () => {
    expect(errorOf(() => parseCodenamesFile('{"3.6": "ramequin"}')).keyPath).toBe('3.6');
    expect(errorOf(() => parseCodenamesFile('{"v3.6": "Ramequin"}')).code).toBe(
      'AFF_ERR_RELEASE_CODENAMES_FILE',
    );
    expect(errorOf(() => parseCodenamesFile('{oops')).file).toBe('release/codenames.json');
  });
});
