/**
 * Area rules written for aloba use Go's RE2 syntax (`(?i).*(consul).*`), which JavaScript's
 * RegExp rejects, and a maintainer's pattern must never hang a worker. They run on re2js, the
 * linear-time RE2 port the proxy uses for its rules. Compiled patterns are cached: the same few
 * rules are matched against every changed file of every PR.
 */
import { RE2JS } from 're2js';

const cache = new Map<string, RE2JS | string>();

/** The compiled pattern, or the compiler's message when it does not compile. */
export function compileRe2(pattern: string): RE2JS | string {
  let compiled = cache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      compiled = error instanceof Error ? error.message : String(error);
    }
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

/** Unanchored, like Go's `regexp.MatchString`; a pattern that does not compile matches nothing. */
export function re2Matches(pattern: string, input: string): boolean {
  const compiled = compileRe2(pattern);
  return typeof compiled !== 'string' && compiled.test(input);
}
