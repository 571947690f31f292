/**
 * Go's `Regexp.ReplaceAllString` on RE2 (re2js, linear time), for redirectRegex and
 * replacePathRegex. Replacements use Go's template syntax, which differs from JavaScript's:
 * `$1x` names a group called "1x" (so it expands to nothing), `${1}x` is group 1 then "x",
 * `$name`/`${name}` reach named groups, `$$` is a dollar, and a `$` not followed by a name is
 * kept as it is.
 */
import { RE2JS } from 're2js';

export interface GoRegexp {
  test(input: string): boolean;
  replaceAll(input: string, template: string): string;
}

/** Compiles a Go (RE2) regexp, or returns the reason it is not one. */
export function compileReplacingRegexp(pattern: string): GoRegexp | { problem: string } {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { problem: `invalid regular expression ${JSON.stringify(pattern)}: ${detail}` };
  }
  const named = compiled.namedGroups();
  return {
    test: (input) => compiled.test(input),
    replaceAll(input, template) {
      const matcher = compiled.matcher(input);
      let out = '';
      let last = 0;
      let previousEnd = -1;
      let from = 0;
      while (from <= input.length && matcher.find(from)) {
        const start = matcher.start();
        const end = matcher.end();
        if (start === end && start === previousEnd) {
          // Go ignores an empty match right after the previous match.
          from = start + 1;
          continue;
        }
        out += input.slice(last, start);
        out += expandTemplate(template, (name) => {
          const index = /^[0-9]+$/.test(name) ? Number(name) : named[name];
          if (index === undefined || index > matcher.groupCount()) return '';
          return matcher.group(index) ?? '';
        });
        last = end;
        previousEnd = end;
        from = end === start ? end + 1 : end;
      }
      return out + input.slice(last);
    },
  };
}

/** Go's Regexp.Expand over a group lookup. */
export function expandTemplate(template: string, group: (name: string) => string): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const rest = template.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      i = dollar + 2;
      continue;
    }
    const braced = /^\{([A-Za-z0-9_]+)\}/.exec(rest);
    const bare = braced ? undefined : /^[A-Za-z0-9_]+/.exec(rest);
    if (braced) {
      out += group(braced[1] as string);
      i = dollar + 1 + braced[0].length;
    } else if (bare) {
      out += group(bare[0]);
      i = dollar + 1 + bare[0].length;
    } else {
      // Malformed: Go keeps the dollar as text.
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}
