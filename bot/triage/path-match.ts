import { minimatch } from 'minimatch';

export type PathSyntax = 'glob' | 'regex';

/** True when `path` matches one of `patterns`: globs match the whole path, regexes anywhere in it. */
export function matchesAny(path: string, patterns: readonly string[], syntax: PathSyntax = 'glob'): boolean {
  return patterns.some((pattern) =>
    syntax === 'regex' ? new RegExp(pattern).test(path) : minimatch(path, pattern, { dot: true }),
  );
}
