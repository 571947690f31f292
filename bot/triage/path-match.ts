import { minimatch } from 'minimatch';
import { re2Matches } from './go-regexp.js';

export type PathSyntax = 'glob' | 'regex';

/** True when `path` matches one of `patterns`: globs match the whole path, RE2 regexes anywhere in it. */
export function matchesAny(path: string, patterns: readonly string[], syntax: PathSyntax = 'glob'): boolean {
  return patterns.some((pattern) =>
    syntax === 'regex' ? re2Matches(pattern, path) : minimatch(path, pattern, { dot: true }),
  );
}
