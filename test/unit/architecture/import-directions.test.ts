/**
 * Keeps the module directions of DESIGN.md true: `src` ← `proxy`; `src` ← `release` ← `bot`.
 * The shared kernel imports none of the areas, and the proxy never imports the bot or releases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const allowed: Record<string, readonly string[]> = {
  src: ['src'],
  proxy: ['src', 'proxy'],
  release: ['src', 'release'],
  bot: ['src', 'release', 'bot'],
};

function violations(area: string, file: string, text?: string): string[] {
  const mayImport = allowed[area] ?? [];
  return importedAreas(file, text)
    .filter(({ area: target }) => !mayImport.includes(target))
    .map(({ specifier }) => `${relative(root, file)} imports ${specifier}`);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js|mjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

function importedAreas(
  file: string,
  text = readFileSync(file, 'utf8'),
): { specifier: string; area: string }[] {
  const specifiers = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)];
  return specifiers.map(([, specifier]) => {
    const target = relative(root, resolve(dirname(file), specifier as string));
    return { specifier: specifier as string, area: target.split(/[\\/]/)[0] as string };
  });
}

describe('import directions', () => {
  for (const [area, mayImport] of Object.entries(allowed)) {
    it(`${area}/ imports only ${mayImport.join(', ')}`, () => {
      expect(sourceFiles(area).flatMap((file) => violations(area, file))).toEqual([]);
    });
  }

  it('reports a forbidden import (the check can fail)', () => {
    const text = "import { x } from '../../proxy/server.js';\nimport { y } from '../config/flags.js';\n";
    expect(violations('src', join(root, 'src/cli/example.ts'), text)).toEqual([
      'src/cli/example.ts imports ../../proxy/server.js',
    ]);
  });
});
