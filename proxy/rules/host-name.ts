/**
 * Host names as the Host matcher and the router index compare them: lower case, without port,
 * without a trailing dot. Both sides (the request's Host header and the rule's value) go
 * through the same normalization so that index keys and matcher answers always agree.
 */

/**
 * A Host header value without its port, lower-cased. Follows Go's net.SplitHostPort as
 * Traefik's request decorator uses it: `[::1]:80` gives `::1`, a bare IPv6 literal is kept.
 */
export function hostWithoutPort(host: string): string {
  let name = host;
  if (host.charCodeAt(0) === 0x5b /* [ */) {
    const close = host.indexOf(']');
    if (close > 0 && host.charCodeAt(close + 1) === 0x3a /* : */) name = host.slice(1, close);
  } else {
    const colon = host.indexOf(':');
    // One colon is host:port; several mean an unbracketed IPv6 literal, kept whole.
    if (colon >= 0 && host.indexOf(':', colon + 1) < 0) name = host.slice(0, colon);
  }
  return hasUpperCase(name) ? name.toLowerCase() : name;
}

/** The request's host name for Host matching: lower case, no port, no trailing dot. */
export function canonicalRequestHost(host: string): string {
  const name = hostWithoutPort(host);
  return name.charCodeAt(name.length - 1) === 0x2e /* . */ ? name.slice(0, -1) : name;
}

// Requests for one host hit many Host matchers (and the index) in a row: remember the last
// answer so the hot path does not re-normalize or allocate for each of them.
let lastRawHost = '';
let lastCanonicalHost = '';

export function canonicalRequestHostCached(host: string): string {
  if (host !== lastRawHost) {
    lastCanonicalHost = canonicalRequestHost(host);
    lastRawHost = host;
  }
  return lastCanonicalHost;
}

/**
 * A Host expression, normalized: `exact` names, `single` wildcards (`*.example.com`: exactly one
 * label before the suffix), `multi` wildcards (`**.example.com`: one or more labels), or `any`
 * (`*`, every host).
 */
export type HostExpression =
  | { kind: 'exact'; host: string }
  | { kind: 'single'; suffix: string }
  | { kind: 'multi'; suffix: string }
  | { kind: 'any' };

export type HostExpressionProblem = { problem: string };

export function parseHostExpression(value: string): HostExpression | HostExpressionProblem {
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0x7f) {
      return {
        problem: `non-ASCII characters are not allowed in a host; write the punycode form (e.g. xn--9t9h.com for 🦭.com)`,
      };
    }
  }
  let host = value.toLowerCase();
  if (host.endsWith('.') && host.length > 1) host = host.slice(0, -1);
  if (host === '*') return { kind: 'any' };
  if (host.startsWith('**.')) return wildcard('multi', host.slice(3), value);
  if (host.startsWith('*.')) return wildcard('single', host.slice(2), value);
  if (host.includes('*')) {
    return {
      problem: `'*' may only stand for whole leading labels, as in *.example.com or **.example.com, or alone as *`,
    };
  }
  return { kind: 'exact', host };
}

function wildcard(
  kind: 'single' | 'multi',
  suffix: string,
  value: string,
): HostExpression | HostExpressionProblem {
  if (suffix === '' || suffix.includes('*') || suffix.startsWith('.')) {
    return { problem: `${JSON.stringify(value)} is not a valid wildcard host; write it like *.example.com` };
  }
  return { kind, suffix };
}

/** The part of a canonical host after its first label (`a.b.c` gives `b.c`), or undefined. */
export function parentDomain(host: string): string | undefined {
  const dot = host.indexOf('.');
  // The first label must not be empty: `.example.com` is no subdomain of example.com.
  return dot > 0 ? host.slice(dot + 1) : undefined;
}

/** Whether a canonical request host matches a Host expression. */
export function hostMatches(expression: HostExpression, host: string): boolean {
  switch (expression.kind) {
    case 'exact':
      return host === expression.host;
    case 'any':
      return host !== '';
    case 'single': {
      const { suffix } = expression;
      const dot = host.length - suffix.length - 1;
      // Exactly one non-empty label before `.suffix`.
      return (
        dot > 0 &&
        host.endsWith(suffix) &&
        host.charCodeAt(dot) === 0x2e &&
        host.lastIndexOf('.', dot - 1) < 0
      );
    }
    case 'multi': {
      const { suffix } = expression;
      const dot = host.length - suffix.length - 1;
      return dot > 0 && host.endsWith(suffix) && host.charCodeAt(dot) === 0x2e && host.charCodeAt(0) !== 0x2e;
    }
  }
}

/** Whether lower-casing could change the text (any ASCII capital, or any non-ASCII character). */
function hasUpperCase(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x41 && code <= 0x5a) || code > 0x7f) return true;
  }
  return false;
}
