import { describe, expect, it } from 'vitest';
import { providerOf, qualifyName, qualifyReference } from '../../../../proxy/watcher/qualified-name.js';

describe('qualified names (name@provider)', () => {
  it('qualifies a name once, and reads the provider back', () => {
    expect(qualifyName('auth', 'file')).toBe('auth@file');
    expect(qualifyName('auth@docker', 'file')).toBe('auth@docker');
    expect(providerOf('auth@file')).toBe('file');
    expect(providerOf('auth')).toBeUndefined();
  });

  it("resolves a reference in the owner's provider unless it names its own", () => {
    expect(qualifyReference('pages', 'errors@redis')).toBe('pages@redis');
    expect(qualifyReference('pages@file', 'errors@redis')).toBe('pages@file');
    expect(qualifyReference('pages', 'unqualified')).toBe('pages');
  });
});
