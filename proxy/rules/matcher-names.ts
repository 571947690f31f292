/**
 * The HTTP matchers of Traefik v3 rule syntax, the spellings Traefik accepts for them, and how
 * many values each one takes (Traefik's `httpFuncs` table in pkg/muxer/http).
 */
import { suggestClosest } from '../../src/config/suggest.js';

export const matcherArity = {
  ClientIP: [1],
  Method: [1],
  Host: [1],
  HostRegexp: [1],
  Path: [1],
  PathRegexp: [1],
  PathPrefix: [1],
  Header: [2],
  HeaderRegexp: [2],
  Query: [1, 2],
  QueryRegexp: [1, 2],
} as const satisfies Record<string, readonly number[]>;

export type MatcherName = keyof typeof matcherArity;

export const matcherNames = Object.keys(matcherArity) as MatcherName[];

/**
 * Traefik registers each matcher under four spellings: as written, lower case, upper case, and
 * Go's strings.Title of the lower case (first letter up, rest down). `Host` therefore accepts
 * Host/host/HOST, and `PathPrefix` accepts PathPrefix/pathprefix/PATHPREFIX/Pathprefix, but not
 * pathPrefix.
 */
function spellingsOf(name: string): string[] {
  const lower = name.toLowerCase();
  return [name, lower, name.toUpperCase(), lower.charAt(0).toUpperCase() + lower.slice(1)];
}

const bySpelling = new Map<string, MatcherName>();
for (const name of matcherNames) for (const spelling of spellingsOf(name)) bySpelling.set(spelling, name);

/** Traefik v2 matchers that v3 renamed or removed, with what to write instead. */
const v2Replacements: Readonly<Record<string, string>> = {
  headers: 'Header(`key`, `value`)',
  headersregexp: 'HeaderRegexp(`key`, `regexp`)',
  hostheader: 'Host(`domain`)',
};

export function resolveMatcherName(written: string): MatcherName | undefined {
  return bySpelling.get(written);
}

/** A one-sentence suggestion for a name that is not a matcher, or undefined. */
export function suggestMatcherName(written: string): string | undefined {
  const replacement = v2Replacements[written.toLowerCase()];
  if (replacement) return `${written} is Traefik v2 syntax; in v3 write ${replacement}.`;
  const sameLetters = matcherNames.find((name) => name.toLowerCase() === written.toLowerCase());
  if (sameLetters) {
    return `Matcher names accept only these spellings: ${spellingsOf(sameLetters).join(', ')}.`;
  }
  const closest = suggestClosest(written, matcherNames);
  return closest ? `Did you mean ${closest}?` : `Known matchers: ${matcherNames.join(', ')}.`;
}
