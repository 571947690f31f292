/**
 * Turns one matcher of a rule (e.g. PathPrefix(`/api`)) into a predicate over RequestFacts.
 * Everything that can be decided once (lower-casing, parsing, regexp compilation) is done
 * here, so the predicates do as little as possible per request.
 */
import { compileGoRegexp } from './go-regexp.js';
import {
  canonicalRequestHostCached,
  type HostExpression,
  hostMatches,
  hostWithoutPort,
  parseHostExpression,
} from './host-name.js';
import { parseIp, parseIpRange, rangeContains } from './ip-range.js';
import { type MatcherName, matcherArity } from './matcher-names.js';
import type { RequestFacts } from './request-facts.js';
import { routingPathCached } from './routing-path.js';
import type { MatcherNode, RuleValue } from './rule-ast.js';
import { RuleError } from './rule-error.js';

export type RequestPredicate = (request: RequestFacts) => boolean;

export interface BuiltMatcher {
  predicate: RequestPredicate;
  /** Set for Host matchers, so the compiler can derive the hosts a rule is limited to. */
  host?: HostExpression;
}

export function buildMatcher(node: MatcherNode): BuiltMatcher {
  checkValues(node);
  const [first, second] = node.values as [RuleValue, RuleValue | undefined];
  const invalid = (value: RuleValue, message: string, hint?: string): never => {
    throw new RuleError('AFF_ERR_RULE_INVALID', value.start + 1, `${node.name}: ${message}`, hint);
  };
  const regexpOf = (value: RuleValue) => {
    const compiled = compileGoRegexp(value.value);
    return 'problem' in compiled
      ? invalid(value, compiled.problem, 'Regexps use Go RE2 syntax (no lookaround, no backreferences).')
      : compiled;
  };

  switch (node.name) {
    case 'Host': {
      const expression = parseHostExpression(first.value);
      if ('problem' in expression) return invalid(first, expression.problem);
      return {
        host: expression,
        predicate: (request) => hostMatches(expression, canonicalRequestHostCached(request.host)),
      };
    }
    case 'HostRegexp': {
      if (!isAscii(first.value)) {
        invalid(first, 'non-ASCII characters are not allowed; write the host in punycode (xn--...)');
      }
      const regexp = regexpOf(first);
      // Traefik matches the lower-cased host without its port; the trailing dot is kept.
      return { predicate: (request) => regexp.test(hostWithoutPortCached(request.host)) };
    }
    case 'Path': {
      const path = checkPath(first, invalid);
      return { predicate: (request) => routingPathCached(request.path) === path };
    }
    case 'PathPrefix': {
      const prefix = checkPath(first, invalid);
      return { predicate: (request) => routingPathCached(request.path)?.startsWith(prefix) === true };
    }
    case 'PathRegexp': {
      const regexp = regexpOf(first);
      return {
        predicate: (request) => {
          const path = routingPathCached(request.path);
          return path !== undefined && regexp.test(path);
        },
      };
    }
    case 'Method': {
      // Traefik upper-cases the rule's method but compares it to the request's as sent.
      const method = first.value.toUpperCase();
      return { predicate: (request) => request.method === method };
    }
    case 'Header': {
      const name = first.value.toLowerCase();
      const expected = second!.value;
      return { predicate: (request) => someHeaderValue(request, name, (value) => value === expected) };
    }
    case 'HeaderRegexp': {
      const name = first.value.toLowerCase();
      const regexp = regexpOf(second!);
      return { predicate: (request) => someHeaderValue(request, name, (value) => regexp.test(value)) };
    }
    case 'Query':
    case 'QueryRegexp': {
      const key = first.value;
      // With one value, Traefik matches a key present with an empty value (`?mobile`, `?mobile=`).
      if (second === undefined || node.name === 'Query') {
        const expected = second?.value ?? '';
        return {
          predicate: (request) => request.query.has(key) && request.query.getAll(key).includes(expected),
        };
      }
      const regexp = regexpOf(second);
      return {
        predicate: (request) =>
          request.query.has(key) && request.query.getAll(key).some((v) => regexp.test(v)),
      };
    }
    case 'ClientIP': {
      const range = parseIpRange(first.value);
      if (!range) {
        return invalid(
          first,
          `${JSON.stringify(first.value)} is not an IP address or a CIDR range`,
          'Write an IPv4 or IPv6 address (10.0.0.1, ::1) or a CIDR (192.168.1.0/24, fe80::/10).',
        );
      }
      return {
        predicate: (request) => {
          const peer = parseIpCached(request.remoteAddress);
          return peer !== undefined && rangeContains(range, peer);
        },
      };
    }
  }
}

function checkValues(node: MatcherNode): void {
  const arity: readonly number[] = matcherArity[node.name];
  if (!arity.includes(node.values.length)) {
    const expected = arity.length === 1 ? `exactly ${arity[0]}` : arity.join(' or ');
    const example = usage[node.name];
    throw new RuleError(
      'AFF_ERR_RULE_INVALID',
      node.start + 1,
      `${node.name} takes ${expected} value(s), got ${node.values.length}`,
      `Write ${example}; combine several with || or &&.`,
    );
  }
  for (const value of node.values) {
    if (value.value === '') {
      throw new RuleError(
        'AFF_ERR_RULE_INVALID',
        value.start + 1,
        `${node.name}: a value is empty`,
        `Write ${usage[node.name]}.`,
      );
    }
  }
}

const usage: Readonly<Record<MatcherName, string>> = {
  ClientIP: 'ClientIP(`10.0.0.0/8`)',
  Method: 'Method(`GET`)',
  Host: 'Host(`example.com`)',
  HostRegexp: 'HostRegexp(`^.+\\.example\\.com$`)',
  Path: 'Path(`/products`)',
  PathRegexp: 'PathRegexp(`^/products/[0-9]+$`)',
  PathPrefix: 'PathPrefix(`/products`)',
  Header: 'Header(`Content-Type`, `application/json`)',
  HeaderRegexp: 'HeaderRegexp(`Content-Type`, `^application/(json|yaml)$`)',
  Query: 'Query(`mobile`, `true`) or Query(`mobile`)',
  QueryRegexp: 'QueryRegexp(`mobile`, `^(true|yes)$`)',
};

function checkPath(
  value: RuleValue,
  invalid: (value: RuleValue, message: string, hint?: string) => never,
): string {
  if (!value.value.startsWith('/')) {
    invalid(value, `path ${JSON.stringify(value.value)} does not start with a '/'`, `Write /${value.value}.`);
  }
  return value.value;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Whether any value of a request header satisfies the test. With rawHeaders every header line
 * counts on its own (Go's http.Header semantics); otherwise node's joined value is tested, and
 * each element when node keeps an array (set-cookie).
 */
function someHeaderValue(request: RequestFacts, name: string, test: (value: string) => boolean): boolean {
  const raw = request.rawHeaders;
  if (raw !== undefined) {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if (equalsIgnoringAsciiCase(raw[i]!, name) && test(raw[i + 1]!)) return true;
    }
    return false;
  }
  const value = request.headers[name];
  if (value === undefined) return false;
  if (typeof value === 'string') return test(value);
  return value.some(test);
}

/** `candidate` compared with an already lower-case `lower`, without allocating. */
function equalsIgnoringAsciiCase(candidate: string, lower: string): boolean {
  if (candidate.length !== lower.length) return false;
  for (let i = 0; i < candidate.length; i++) {
    let code = candidate.charCodeAt(i);
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    if (code !== lower.charCodeAt(i)) return false;
  }
  return true;
}

let lastHostForRegexp = '';
let lastHostWithoutPort = '';
function hostWithoutPortCached(host: string): string {
  if (host !== lastHostForRegexp) {
    lastHostWithoutPort = hostWithoutPort(host);
    lastHostForRegexp = host;
  }
  return lastHostWithoutPort;
}

let lastPeerText = '';
let lastPeer = parseIp('::');
function parseIpCached(address: string) {
  if (address !== lastPeerText) {
    lastPeer = parseIp(address);
    lastPeerText = address;
  }
  return lastPeer;
}
