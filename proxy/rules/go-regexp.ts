/**
 * User regexps in rules use Go's RE2 syntax and must never be able to hang the proxy, so they
 * run on re2js: a pure-JS port of RE2 with linear-time matching (no backtracking, no ReDoS).
 * Like Go's regexp.MatchString, matching is unanchored: write ^ and $ to anchor.
 */
import { RE2JS } from 're2js';

export interface CompiledRegexp {
  test(input: string): boolean;
}

export function compileGoRegexp(pattern: string): CompiledRegexp | { problem: string } {
  try {
    const compiled = RE2JS.compile(pattern);
    return { test: (input) => compiled.test(input) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { problem: `invalid regular expression ${JSON.stringify(pattern)}: ${detail}` };
  }
}
