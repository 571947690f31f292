import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import { RuleError } from '../../../../proxy/rules/rule-error.js';
import { request } from './request.js';

/** The targets among `targets` that the rule matches. */
function matching(rule: string, targets: string[], extras?: Parameters<typeof request>[1]): string[] {
  const compiled = compileRule(rule);
  return targets.filter((target) => compiled.matches(request(target, extras)));
}

function errorOf(rule: string): RuleError {
  try {
    compileRule(rule);
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error(`expected ${rule} to be refused`);
}

describe('Host', () => {
  it('matches "requests with Host set to example.com": Host(`example.com`)', () => {
    expect(
      matching('Host(`example.com`)', [
        'https://example.com',
        'https://example.com:8080',
        'https://example.com/path',
        'https://EXAMPLE.COM/path',
        'https://example.com.',
        'https://example.org',
        'https://sub.example.com',
      ]),
    ).toEqual([
      'https://example.com',
      'https://example.com:8080',
      'https://example.com/path',
      'https://EXAMPLE.COM/path',
      'https://example.com.',
    ]);
  });

  it('lower-cases the rule and strips its trailing dot', () => {
    expect(matching('Host(`EXAMPLE.COM.`)', ['https://example.com', 'https://example.com.:80'])).toHaveLength(
      2,
    );
  });

  it('matches exactly one label with *.example.com, never example.com itself', () => {
    expect(
      matching('Host(`*.example.com`)', [
        'https://foo.example.com',
        'https://FOO.example.com:443',
        'https://foo.bar.example.com',
        'https://example.com',
        'https://fooexample.com',
      ]),
    ).toEqual(['https://foo.example.com', 'https://FOO.example.com:443']);
  });

  it('matches one or more labels with **.example.com', () => {
    expect(
      matching('Host(`**.example.com`)', [
        'https://a.example.com',
        'https://a.b.example.com',
        'https://example.com',
      ]),
    ).toEqual(['https://a.example.com', 'https://a.b.example.com']);
  });

  it('matches any host with Host(`*`)', () => {
    expect(
      matching('Host(`*`)', ['https://example.com', 'https://localhost:8080', 'https://a.b.c']),
    ).toHaveLength(3);
  });

  it('matches IPv6 literals with a port', () => {
    expect(matching('Host(`::1`)', ['https://[::1]:8080', 'https://[::2]:8080'])).toEqual([
      'https://[::1]:8080',
    ]);
  });

  it('refuses non-ASCII hosts and accepts their punycode', () => {
    expect(errorOf('Host(`🦭.com`)').code).toBe('AFF_ERR_RULE_INVALID');
    expect(errorOf('Host(`🦭.com`)').message).toMatch(/punycode/);
    expect(matching('Host(`xn--9t9h.com`)', ['https://xn--9t9h.com', 'https://example.com'])).toEqual([
      'https://xn--9t9h.com',
    ]);
  });

  it('refuses a star that is not a whole leading label', () => {
    expect(errorOf('Host(`foo.*.com`)').code).toBe('AFF_ERR_RULE_INVALID');
    expect(errorOf('Host(`*foo.com`)').code).toBe('AFF_ERR_RULE_INVALID');
  });

  it('never matches a request without a host', () => {
    expect(compileRule('Host(`*`)').matches({ ...request('/'), host: '' })).toBe(false);
  });
});

describe('HostRegexp', () => {
  it('matches "requests sent to any subdomain of example.com": HostRegexp(`^.+\\.example\\.com$`)', () => {
    expect(
      matching('HostRegexp(`^.+\\.example\\.com$`)', [
        'https://a.example.com',
        'https://A.B.EXAMPLE.com:8443',
        'https://example.com',
      ]),
    ).toEqual(['https://a.example.com', 'https://A.B.EXAMPLE.com:8443']);
  });

  it('matches the lower-cased host, so an upper-case regexp never matches', () => {
    expect(matching('HostRegexp(`^[A-Z]+\\.com$`)', ['https://EXAMPLE.com', 'https://example.com'])).toEqual(
      [],
    );
    expect(matching('HostRegexp(`(?i)^example\\.(com|org)$`)', ['https://example.org'])).toHaveLength(1);
  });

  it('is not anchored implicitly', () => {
    expect(matching('HostRegexp(`example`)', ['https://www.example.com', 'https://other.org'])).toEqual([
      'https://www.example.com',
    ]);
  });

  it('ignores Traefik v2 {name:regexp} syntax as plain regexp text', () => {
    expect(matching('HostRegexp(`{domain:[a-z]+\\.com}`)', ['https://example.com'])).toEqual([]);
  });

  it('refuses an invalid regexp and Perl-only syntax', () => {
    expect(errorOf('HostRegexp(`(example.com`)').message).toMatch(/missing closing \)/);
    expect(errorOf('HostRegexp(`a(?=b)`)').code).toBe('AFF_ERR_RULE_INVALID');
  });

  it('runs in linear time on a pathological pattern (no ReDoS)', () => {
    const rule = compileRule('PathRegexp(`^/(a+)+$`)');
    expect(rule.matches(request(`/${'a'.repeat(100_000)}!`))).toBe(false);
  });
});

describe('Path, PathPrefix and PathRegexp', () => {
  const targets = ['/products', '/products/', '/products/shoes', '/products-for-sale', '/Products', '/'];

  it('Path(`/products`) matches /products but neither /products/shoes nor /products/', () => {
    expect(matching('Path(`/products`)', targets)).toEqual(['/products']);
  });

  it('PathPrefix(`/products`) matches /products, /products/shoes, /products/ and /products-for-sale', () => {
    expect(matching('PathPrefix(`/products`)', targets)).toEqual([
      '/products',
      '/products/',
      '/products/shoes',
      '/products-for-sale',
    ]);
  });

  it('PathRegexp(`^/products/(shoes|socks)/[0-9]+$`) matches /products/shoes/31', () => {
    expect(
      matching('PathRegexp(`^/products/(shoes|socks)/[0-9]+$`)', [
        '/products/shoes/31',
        '/products/socks/7',
        '/products/hats/1',
        '/x/products/shoes/31',
      ]),
    ).toEqual(['/products/shoes/31', '/products/socks/7']);
  });

  it('PathRegexp(`\\.(jpeg|jpg|png)$`) matches paths ending in an image extension, unanchored at the start', () => {
    expect(matching('PathRegexp(`\\.(jpeg|jpg|png)$`)', ['/a/b.png', '/c.jpg', '/d.gif'])).toEqual([
      '/a/b.png',
      '/c.jpg',
    ]);
  });

  it('PathRegexp(`(?i)^/products`) matches case-insensitively', () => {
    expect(matching('PathRegexp(`(?i)^/products`)', targets)).toEqual(targets.slice(0, 5));
  });

  it('decodes non-reserved percent-encodings but keeps reserved ones', () => {
    expect(matching('PathPrefix(`/foo bar`)', ['/foo%20bar/x', '/foo bar'])).toHaveLength(2);
    expect(matching('Path(`/a/b`)', ['/a%2Fb', '/a%2fb', '/a/b'])).toEqual(['/a/b']);
    expect(matching('Path(`/a%2Fb`)', ['/a%2Fb'])).toEqual(['/a%2Fb']);
    expect(matching('Path(`/café`)', ['/caf%C3%A9'])).toEqual(['/caf%C3%A9']);
  });

  it('does not look at the query string', () => {
    expect(matching('Path(`/products`)', ['/products?x=1'])).toEqual(['/products?x=1']);
  });

  it('refuses paths that do not start with a /', () => {
    const error = errorOf('Path(`css`)');
    expect(error.code).toBe('AFF_ERR_RULE_INVALID');
    expect(error.column).toBe(6);
    expect(error.message).toMatch(/does not start with a '\/'/);
    expect(errorOf('PathPrefix(`css`)').code).toBe('AFF_ERR_RULE_INVALID');
  });
});

describe('Method', () => {
  it('matches "OPTIONS requests": Method(`OPTIONS`)', () => {
    const rule = compileRule('Method(`OPTIONS`)');
    expect(rule.matches(request('/', { method: 'OPTIONS' }))).toBe(true);
    expect(rule.matches(request('/', { method: 'GET' }))).toBe(false);
  });

  it('upper-cases the rule value but compares the request method case-sensitively', () => {
    const rule = compileRule('Method(`get`)');
    expect(rule.matches(request('/', { method: 'GET' }))).toBe(true);
    expect(rule.matches(request('/', { method: 'get' }))).toBe(false);
  });

  it('takes one method only', () => {
    expect(errorOf('Method(`GET`, `POST`)').message).toMatch(/exactly 1 value/);
  });
});

describe('Header and HeaderRegexp', () => {
  const yaml = { headers: { 'content-type': 'application/yaml' } };

  it('Header(`Content-Type`, `application/yaml`) matches that header, its name case-insensitively', () => {
    expect(compileRule('Header(`Content-Type`, `application/yaml`)').matches(request('/', yaml))).toBe(true);
    expect(compileRule('Header(`content-type`, `application/yaml`)').matches(request('/', yaml))).toBe(true);
    expect(compileRule('Header(`Content-Type`, `application/YAML`)').matches(request('/', yaml))).toBe(false);
    expect(compileRule('Header(`Accept`, `application/yaml`)').matches(request('/', yaml))).toBe(false);
  });

  it('HeaderRegexp(`Content-Type`, `^application/(json|yaml)$`) matches either type', () => {
    const rule = compileRule('HeaderRegexp(`Content-Type`, `^application/(json|yaml)$`)');
    expect(rule.matches(request('/', yaml))).toBe(true);
    expect(rule.matches(request('/', { headers: { 'content-type': 'application/json' } }))).toBe(true);
    expect(rule.matches(request('/', { headers: { 'content-type': 'text/plain' } }))).toBe(false);
    expect(
      compileRule('HeaderRegexp(`Content-Type`, `(?i)^application/(json|yaml)$`)').matches(
        request('/', { headers: { 'content-type': 'Application/JSON' } }),
      ),
    ).toBe(true);
  });

  it('tests every header line on its own when rawHeaders are given', () => {
    const twoLines = {
      headers: { 'x-forwarded-proto': 'http, https' },
      rawHeaders: ['Host', 'example.com', 'X-Forwarded-Proto', 'http', 'x-forwarded-proto', 'https'],
    };
    expect(compileRule('Header(`X-Forwarded-Proto`, `https`)').matches(request('/', twoLines))).toBe(true);
    expect(compileRule('Header(`X-Forwarded-Proto`, `http, https`)').matches(request('/', twoLines))).toBe(
      false,
    );
    expect(compileRule('HeaderRegexp(`X-Forwarded-Proto`, `^https?$`)').matches(request('/', twoLines))).toBe(
      true,
    );
  });

  it('matches any element of an array-valued header (set-cookie)', () => {
    const cookies = { headers: { 'set-cookie': ['a=1', 'b=2'] } };
    expect(compileRule('Header(`Set-Cookie`, `b=2`)').matches(request('/', cookies))).toBe(true);
  });

  it('takes exactly a name and a value, both non-empty', () => {
    expect(errorOf('Header(`X-Forwarded-Host`)').message).toMatch(/exactly 2 value/);
    expect(errorOf('Header(`X-Forwarded-Host`, ``)').message).toMatch(/empty/);
    expect(errorOf('Header(``, `example.com`)').message).toMatch(/empty/);
    expect(errorOf('HeaderRegexp(`X`, `(a`)').code).toBe('AFF_ERR_RULE_INVALID');
  });
});

describe('Query and QueryRegexp', () => {
  it('Query(`mobile`, `true`) matches /search?mobile=true, among repeated values too', () => {
    expect(
      matching('Query(`mobile`, `true`)', [
        '/search?mobile=true',
        '/search?mobile=false&mobile=true',
        '/search?mobile=TRUE',
        '/search?Mobile=true',
        '/search?mobile',
        '/search',
      ]),
    ).toEqual(['/search?mobile=true', '/search?mobile=false&mobile=true']);
  });

  it('Query(`mobile`) matches a mobile parameter that has no value, such as /search?mobile', () => {
    expect(
      matching('Query(`mobile`)', ['/search?mobile', '/search?mobile=', '/search?mobile=true', '/search']),
    ).toEqual(['/search?mobile', '/search?mobile=']);
  });

  it('QueryRegexp(`mobile`, `^(true|yes)$`) matches true or yes', () => {
    expect(
      matching('QueryRegexp(`mobile`, `^(true|yes)$`)', ['/?mobile=yes', '/?mobile=true', '/?mobile=no']),
    ).toEqual(['/?mobile=yes', '/?mobile=true']);
  });

  it('QueryRegexp(`mobile`, `^.*$`) matches any value, including the empty value', () => {
    expect(matching('QueryRegexp(`mobile`, `^.*$`)', ['/?mobile=', '/?mobile=x', '/?other=x'])).toEqual([
      '/?mobile=',
      '/?mobile=x',
    ]);
  });

  it('QueryRegexp(`mobile`, `(?i)^(true|yes)$`) matches case-insensitively', () => {
    expect(matching('QueryRegexp(`mobile`, `(?i)^(true|yes)$`)', ['/?mobile=YES'])).toHaveLength(1);
  });

  it('decodes the query like Go (+ is a space, percent-encodings decoded)', () => {
    expect(matching('Query(`q`, `a b`)', ['/?q=a+b', '/?q=a%20b'])).toHaveLength(2);
  });

  it('refuses an empty key or value and more than two values', () => {
    expect(errorOf('Query(``)').code).toBe('AFF_ERR_RULE_INVALID');
    expect(errorOf('Query(`q`, ``)').code).toBe('AFF_ERR_RULE_INVALID');
    expect(errorOf('Query(`q`, `traefik`, `proxy`)').message).toMatch(/takes 1 or 2 value/);
    expect(errorOf('QueryRegexp(`q`, `(traefik`)').code).toBe('AFF_ERR_RULE_INVALID');
  });
});

describe('ClientIP', () => {
  const from = (rule: string, addresses: string[]) => {
    const compiled = compileRule(rule);
    return addresses.filter((remoteAddress) => compiled.matches(request('/', { remoteAddress })));
  };

  it('ClientIP(`10.76.105.11`) matches that IPv4 address', () => {
    expect(from('ClientIP(`10.76.105.11`)', ['10.76.105.11', '10.76.105.12', '::ffff:10.76.105.11'])).toEqual(
      ['10.76.105.11', '::ffff:10.76.105.11'],
    );
  });

  it('ClientIP(`::1`) matches that IPv6 address', () => {
    expect(from('ClientIP(`::1`)', ['::1', '0:0:0:0:0:0:0:1', '::2', '127.0.0.1'])).toEqual([
      '::1',
      '0:0:0:0:0:0:0:1',
    ]);
  });

  it('ClientIP(`192.168.1.0/24`) matches the subnet, IPv4-mapped peers included', () => {
    expect(
      from('ClientIP(`192.168.1.0/24`)', [
        '192.168.1.1',
        '192.168.1.255',
        '192.168.2.1',
        '::ffff:192.168.1.100',
        '::1',
      ]),
    ).toEqual(['192.168.1.1', '192.168.1.255', '::ffff:192.168.1.100']);
  });

  it('ClientIP(`fe80::/10`) matches the IPv6 subnet', () => {
    expect(from('ClientIP(`fe80::/10`)', ['fe80::1', 'febf:ffff::1', 'fec0::1', '10.0.0.1'])).toEqual([
      'fe80::1',
      'febf:ffff::1',
    ]);
  });

  it('accepts a CIDR with host bits set, and /0', () => {
    expect(from('ClientIP(`192.168.1.7/24`)', ['192.168.1.200'])).toHaveLength(1);
    expect(from('ClientIP(`0.0.0.0/0`)', ['1.2.3.4', '::ffff:8.8.8.8'])).toHaveLength(2);
  });

  it('ignores X-Forwarded-For', () => {
    const rule = compileRule('ClientIP(`10.0.0.1`)');
    expect(
      rule.matches(request('/', { remoteAddress: '10.9.9.9', headers: { 'x-forwarded-for': '10.0.0.1' } })),
    ).toBe(false);
  });

  it('does not match an unparseable peer address', () => {
    expect(from('ClientIP(`127.0.0.1`)', ['1', ''])).toEqual([]);
  });

  it('refuses what is not an IP or a CIDR', () => {
    for (const bad of ['1', '300.1.1.1', '10.0.0.1/33', '01.2.3.4', 'fe80::/129', '1:2:3']) {
      expect(errorOf(`ClientIP(\`${bad}\`)`).code).toBe('AFF_ERR_RULE_INVALID');
    }
    expect(errorOf('ClientIP(`127.0.0.1`, `192.168.1.0/24`)').code).toBe('AFF_ERR_RULE_INVALID');
  });
});
