// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Go replacement templates use ${1}, not JS templates.
import { describe, expect, it } from 'vitest';
import {
  compileReplacingRegexp,
  type GoRegexp,
} from '../../../../../proxy/middleware/regexp-replacement/go-regexp-replace.js';

function compile(pattern: string): GoRegexp {
  const compiled = compileReplacingRegexp(pattern);
  if ('problem' in compiled) throw new Error(compiled.problem);
  return compiled;
}

describe('Go-style ReplaceAllString', () => {
  it('expands $1, ${1} and named groups as Go does', () => {
    const re = compile('^/foo/(.*)');
    expect(re.replaceAll('/foo/bar', '/bar/$1')).toBe('/bar/bar');
    expect(re.replaceAll('/foo/bar', '/x/${1}y')).toBe('/x/bary');
    // `$1y` is the group named "1y", which does not exist.
    expect(re.replaceAll('/foo/bar', '/x/$1y')).toBe('/x/');
    expect(compile('(?P<word>[a-z]+)').replaceAll('abc 123', '<${word}>')).toBe('<abc> 123');
    expect(re.replaceAll('/foo/bar', 'cost: $$5 and $')).toBe('cost: $5 and $');
  });

  it('replaces every non-overlapping match and leaves the rest', () => {
    expect(compile('a').replaceAll('banana', 'o')).toBe('bonono');
    expect(compile('x*').replaceAll('abc', '-')).toBe('-a-b-c-');
    expect(compile('^/api').replaceAll('/web', '/v2')).toBe('/web');
  });

  it('matches unanchored and reports a bad pattern', () => {
    expect(compile('foo').test('/a/foo/b')).toBe(true);
    expect(compileReplacingRegexp('(')).toHaveProperty('problem');
    // RE2 has no backreferences: refused at load time, never a slow match later.
    expect(compileReplacingRegexp('(a)\\1')).toHaveProperty('problem');
  });
});
