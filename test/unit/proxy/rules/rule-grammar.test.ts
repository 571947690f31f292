import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import { RuleError } from '../../../../proxy/rules/rule-error.js';
import { request } from './request.js';

function errorOf(rule: string): RuleError {
  try {
    compileRule(rule);
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error(`expected ${rule} to be refused`);
}

const matches = (rule: string, target: string, method = 'GET') =>
  compileRule(rule).matches(request(target, { method }));

describe('operators', () => {
  it('combines with && and ||', () => {
    const rule = 'Host(`example.com`) && PathPrefix(`/api`)';
    expect(matches(rule, 'https://example.com/api/x')).toBe(true);
    expect(matches(rule, 'https://example.com/web')).toBe(false);
    expect(matches(rule, 'https://example.org/api')).toBe(false);
    expect(matches('Path(`/a`) || Path(`/b`)', '/b')).toBe(true);
    expect(matches('Path(`/a`) || Path(`/b`)', '/c')).toBe(false);
  });

  it('binds && tighter than ||', () => {
    // Path(/a) || (Path(/b) && Method(POST))
    const rule = 'Path(`/a`) || Path(`/b`) && Method(`POST`)';
    expect(matches(rule, '/a', 'GET')).toBe(true);
    expect(matches(rule, '/b', 'GET')).toBe(false);
    expect(matches(rule, '/b', 'POST')).toBe(true);
    // (Path(/b) && Method(POST)) || Path(/a)
    expect(matches('Path(`/b`) && Method(`POST`) || Path(`/a`)', '/a', 'GET')).toBe(true);
  });

  it('groups with parentheses', () => {
    const rule = '(Path(`/a`) || Path(`/b`)) && Method(`POST`)';
    expect(matches(rule, '/a', 'GET')).toBe(false);
    expect(matches(rule, '/a', 'POST')).toBe(true);
    expect(matches('((((Path(`/a`)))))', '/a')).toBe(true);
  });

  it('negates with !, binding tighter than && and ||', () => {
    expect(matches('!Path(`/a`)', '/a')).toBe(false);
    expect(matches('!Path(`/a`)', '/b')).toBe(true);
    expect(matches('!Path(`/a`) && Method(`GET`)', '/b')).toBe(true);
    expect(matches('!(Path(`/a`) || Path(`/b`))', '/b')).toBe(false);
    expect(matches('!!Path(`/a`)', '/a')).toBe(true);
  });

  it('allows any whitespace, including none and newlines', () => {
    expect(matches('Host(`example.com`)&&Path(`/`)', 'https://example.com/')).toBe(true);
    expect(matches('  Host( `example.com` ,\n )\n&&\tPath(`/`)  ', 'https://example.com/')).toBe(true);
  });
});

describe('values', () => {
  it('accepts backticks and double quotes', () => {
    expect(matches('Path("/a")', '/a')).toBe(true);
    expect(matches('Path(`/a`) && Host("example.com")', 'https://example.com/a')).toBe(true);
  });

  it('decodes Go escapes in double quotes and none in backticks', () => {
    expect(matches('PathRegexp("^/a\\\\.b$")', '/a.b')).toBe(true);
    expect(matches('PathRegexp("^/a\\\\.b$")', '/axb')).toBe(false);
    expect(matches('Path("/\\x61\\u00e9\\101")', '/aéA')).toBe(true);
    expect(matches('Path(`/a\\n`)', '/a\\n')).toBe(true);
    expect(matches('Path("/\\"q\\"")', '/"q"')).toBe(true);
  });

  it('refuses a bad escape in double quotes, at its column', () => {
    const error = errorOf('PathRegexp("^/a\\.b$")');
    expect(error.code).toBe('AFF_ERR_RULE_SYNTAX');
    expect(error.column).toBe(16);
    expect(error.message).toMatch(/unknown escape sequence \\\./);
  });

  it('refuses single quotes with a clear error', () => {
    const error = errorOf("Host('example.com')");
    expect(error.code).toBe('AFF_ERR_RULE_SYNTAX');
    expect(error.column).toBe(6);
    expect(error.message).toMatch(/single quotes are not accepted/);
    expect(error.message).toMatch(/backticks/);
  });

  it('refuses unclosed strings', () => {
    expect(errorOf('Host(`example.com)').message).toMatch(
      /column 6: this backtick-quoted value is never closed/,
    );
    expect(errorOf('Host("example.com)').message).toMatch(
      /column 6: this double-quoted value is never closed/,
    );
  });
});

describe('matcher names', () => {
  it.each(['Host', 'host', 'HOST'])('accepts %s', (name) => {
    expect(matches(`${name}(\`example.com\`)`, 'https://example.com')).toBe(true);
  });

  it.each(['PathPrefix', 'pathprefix', 'PATHPREFIX', 'Pathprefix'])('accepts %s', (name) => {
    expect(matches(`${name}(\`/a\`)`, '/a/b')).toBe(true);
  });

  it.each([
    'ClientIP',
    'clientip',
    'CLIENTIP',
    'Clientip',
    'HostRegexp',
    'hostregexp',
    'HOSTREGEXP',
    'Hostregexp',
  ])('accepts %s', (name) => {
    const value = name.toLowerCase() === 'clientip' ? '127.0.0.1' : 'example';
    expect(() => compileRule(`${name}(\`${value}\`)`)).not.toThrow();
  });

  it.each(['pathPrefix', 'hOST', 'PAthPrefix', 'clientIP'])(
    'refuses %s and lists the accepted spellings',
    (name) => {
      const error = errorOf(`${name}(\`/a\`)`);
      expect(error.code).toBe('AFF_ERR_RULE_INVALID');
      expect(error.column).toBe(1);
      expect(error.message).toMatch(/only these spellings/);
    },
  );

  it('suggests the closest matcher for a typo', () => {
    expect(errorOf('Path(`/a`) && Hots(`a`)').message).toMatch(
      /column 15: unknown matcher 'Hots'.*Did you mean Host\?/,
    );
  });

  it('explains Traefik v2 matchers', () => {
    expect(errorOf('Headers(`a`, `b`)').message).toMatch(/v2 syntax; in v3 write Header/);
    expect(errorOf('HostHeader(`a`)').message).toMatch(/v2 syntax/);
  });
});

describe('arity (one value per matcher in v3, two for Header/HeaderRegexp, one or two for Query/QueryRegexp)', () => {
  it.each([
    ['Host(`example.com`, `example.org`)', /Host takes exactly 1 value\(s\), got 2/],
    ['Host()', /Host takes exactly 1 value\(s\), got 0/],
    ['Path(`/a`, `/b`)', /exactly 1/],
    ['PathPrefix(`/a`, `/b`)', /exactly 1/],
    ['PathRegexp(`/a`, `/b`)', /exactly 1/],
    ['HostRegexp(`a`, `b`)', /exactly 1/],
    ['ClientIP()', /exactly 1/],
    ['Header(`a`, `b`, `c`)', /exactly 2/],
    ['HeaderRegexp(`a`)', /exactly 2/],
    ['Query()', /1 or 2/],
    ['QueryRegexp(`a`, `b`, `c`)', /1 or 2/],
  ])('refuses %s', (rule, message) => {
    const error = errorOf(rule);
    expect(error.code).toBe('AFF_ERR_RULE_INVALID');
    expect(error.column).toBe(1);
    expect(error.message).toMatch(message);
  });

  it.each([
    'Host(``)',
    'Path(``)',
    'PathPrefix(``)',
    'PathRegexp(``)',
    'HostRegexp(``)',
    'Method(``)',
    'ClientIP(``)',
  ])('refuses the empty value in %s', (rule) => {
    expect(errorOf(rule).message).toMatch(/a value is empty/);
  });
});

describe('syntax errors name the column and what was expected', () => {
  it.each([
    ['', 1, /expected a matcher .*found the end of the rule/],
    ['Host(`a`) &&', 13, /expected a matcher .*found the end of the rule/],
    ['Host(`a`) & Path(`/`)', 11, /expected '&&', found a single '&'/],
    ['Host(`a`) | Path(`/`)', 11, /expected '\|\|', found a single '\|'/],
    ['Host(`a`) Path(`/`)', 11, /expected '&&', '\|\|' or the end of the rule, found 'Path'/],
    ['(Host(`a`)', 11, /expected '\)' to close the parenthesis opened at column 1/],
    ['Host(`a`))', 10, /expected '&&', '\|\|' or the end of the rule, found '\)'/],
    ['Host `a`', 6, /expected '\(' after the matcher name Host/],
    ['Host(`a` `b`)', 10, /expected ',' or '\)' after a value of Host/],
    ['Host(a)', 6, /expected a quoted value or '\)' in Host\(...\)/],
    ['Host(`a`) && 42', 14, /unexpected character "4"/],
    ['&& Host(`a`)', 1, /expected a matcher/],
    ['!', 2, /expected a matcher .*found the end of the rule/],
  ])('%j', (rule, column, message) => {
    const error = errorOf(rule);
    expect(error.code).toMatch(/^AFF_ERR_RULE_(SYNTAX|INVALID)$/);
    expect(error.column).toBe(column);
    expect(error.message).toContain(`at column ${column}:`);
    expect(error.message).toMatch(message);
  });

  it('is an AffineurError with code AFF_ERR_RULE_SYNTAX', () => {
    const error = errorOf('Host(`a`) &&');
    expect(error.name).toBe('RuleError');
    expect(error.message.startsWith('AFF_ERR_RULE_SYNTAX: at column 13:')).toBe(true);
  });
});

describe('hosts (for the router index)', () => {
  it.each([
    ['Host(`Example.COM`)', ['example.com']],
    ['Host(`example.com.`)', ['example.com']],
    ['Host(`a.com`) && Path(`/x`)', ['a.com']],
    ['Path(`/x`) && Host(`a.com`)', ['a.com']],
    ['Host(`a.com`) || Host(`b.com`)', ['a.com', 'b.com']],
    ['Host(`a.com`) || Host(`a.com`)', ['a.com']],
    ['Host(`*.example.com`)', ['*.example.com']],
    ['(Host(`a.com`) || Host(`*.b.com`)) && Method(`GET`)', ['a.com', '*.b.com']],
    ['!(Path(`/x`) || !Host(`a.com`))', ['a.com']],
    ['Host(`a.com`) && Host(`b.com`) || Host(`c.com`)', ['a.com', 'c.com']],
  ])('%s → %j', (rule, hosts) => {
    expect(compileRule(rule).hosts).toEqual(hosts);
  });

  it.each([
    'Path(`/x`)',
    'Host(`a.com`) || Path(`/x`)',
    '!Host(`a.com`)',
    '!(Host(`a.com`) && Path(`/x`))',
    'HostRegexp(`^a\\.com$`)',
    'Host(`*`)',
    'Host(`**.example.com`)',
  ])('%s → undefined (may match any host)', (rule) => {
    expect(compileRule(rule).hosts).toBeUndefined();
  });

  it('keeps the source text', () => {
    expect(compileRule('Host(`a`)').source).toBe('Host(`a`)');
  });
});

describe('matchesForHost (Host matchers decided for a known host)', () => {
  const on = (rule: string, host: string, target: string) =>
    compileRule(rule).matchesForHost(host)(request(target));

  it('keeps only what is left to test', () => {
    expect(on('Host(`a.com`) && Path(`/x`)', 'a.com', '/x')).toBe(true);
    expect(on('Host(`a.com`) && Path(`/x`)', 'a.com', '/y')).toBe(false);
    expect(on('Host(`a.com`) && Path(`/x`)', 'b.com', '/x')).toBe(false);
  });

  it('folds negations, || and wildcards', () => {
    expect(on('!Host(`a.com`) || Path(`/x`)', 'a.com', '/y')).toBe(false);
    expect(on('!Host(`a.com`) || Path(`/x`)', 'b.com', '/y')).toBe(true);
    expect(on('Host(`*.a.com`) || Host(`b.com`)', 'x.a.com', '/')).toBe(true);
    expect(on('Host(`*`)', 'anything', '/')).toBe(true);
  });

  it('leaves HostRegexp to the request, whose port and trailing dot it may see', () => {
    expect(on('HostRegexp(`\\.$`)', 'a.com', 'https://a.com./')).toBe(true);
    expect(on('HostRegexp(`\\.$`)', 'a.com', 'https://a.com/')).toBe(false);
  });
});
