import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AffineurError, AffineurErrorList } from '../../../../src/errors/affineur-error.js';
import { errorCatalog } from '../../../../src/errors/catalog.js';

const docs = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');

describe('error catalog', () => {
  it.each(Object.keys(errorCatalog))('documents %s in docs/errors.md', (code) => {
    expect(docs).toMatch(new RegExp(`^\\|\\s*\`${code}\`\\s*\\|`, 'm'));
  });

  it('lists no code in the docs that the catalog lacks', () => {
    const documented = [...docs.matchAll(/^\|\s*`(AFF_ERR_[A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(errorCatalog).sort());
  });

  it('uses only the AFF_ERR_ prefix and upper-case names', () => {
    for (const code of Object.keys(errorCatalog)) expect(code).toMatch(/^AFF_ERR_[A-Z0-9_]+$/);
  });

  it('formats what, where and how to fix into the message', () => {
    const error = new AffineurError('AFF_ERR_CONFIG_UNKNOWN_KEY', 'unknown key "adress".', {
      file: 'affineur.yml',
      line: 3,
      keyPath: 'entryPoints.web.adress',
      hint: 'Did you mean "address"?',
    });
    expect(error.message).toBe(
      'AFF_ERR_CONFIG_UNKNOWN_KEY: affineur.yml:3: entryPoints.web.adress: unknown key "adress". Did you mean "address"?',
    );
    expect(error).toMatchObject({ code: 'AFF_ERR_CONFIG_UNKNOWN_KEY', file: 'affineur.yml', line: 3 });
  });

  it('gathers several problems into one error that lists them all', () => {
    const list = new AffineurErrorList([
      new AffineurError('AFF_ERR_CONFIG_INVALID', 'first.'),
      new AffineurError('AFF_ERR_CONFIG_UNKNOWN_KEY', 'second.'),
    ]);
    expect(list.code).toBe('AFF_ERR_CONFIG_INVALID');
    expect(list.message).toContain('first.');
    expect(list.message).toContain('second.');
    expect(list.errors).toHaveLength(2);
  });
});
