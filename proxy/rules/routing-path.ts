/**
 * The path that Path, PathPrefix and PathRegexp look at. Traefik v3 matches on the escaped path
 * with every percent-encoded character decoded EXCEPT the reserved ones of RFC 3986 (and `%`
 * itself), so that PathPrefix(`/foo bar`) matches /foo%20bar while /a%2Fb stays one segment.
 */

// Upper-case hex forms; the input is upper-cased before lookup, as %2f and %2F are the same.
const reserved = new Set([
  '%3A',
  '%2F',
  '%3F',
  '%23',
  '%5B',
  '%5D',
  '%40',
  '%21',
  '%24',
  '%26',
  '%27',
  '%28',
  '%29',
  '%2A',
  '%2B',
  '%2C',
  '%3B',
  '%3D',
  '%25',
]);

const hex = /^[0-9A-Fa-f]{2}$/;

/**
 * The routing path, or undefined when the path has a malformed percent-encoding (Traefik
 * answers such requests with 400 before routing; no path matcher matches them).
 */
export function routingPath(path: string): string | undefined {
  if (!path.includes('%')) return path;
  // Decoded bytes are collected and turned into text together, so multi-byte UTF-8 sequences
  // (%C3%A9) decode to one character.
  let out = '';
  let pending: number[] = [];
  const flush = () => {
    if (pending.length > 0) {
      out += Buffer.from(pending).toString('utf8');
      pending = [];
    }
  };
  for (let i = 0; i < path.length; i++) {
    const ch = path[i]!;
    if (ch !== '%') {
      flush();
      out += ch;
      continue;
    }
    const digits = path.slice(i + 1, i + 3);
    if (!hex.test(digits)) return undefined;
    const encoded = `%${digits.toUpperCase()}`;
    if (reserved.has(encoded)) {
      flush();
      // Kept as received, like Traefik which copies the original three characters.
      out += path.slice(i, i + 3);
    } else {
      pending.push(Number.parseInt(digits, 16));
    }
    i += 2;
  }
  flush();
  return out;
}

let lastPath = '';
let lastRoutingPath: string | undefined = '';

/** routingPath() with a one-entry memo: all path matchers of one request share the work. */
export function routingPathCached(path: string): string | undefined {
  if (path !== lastPath) {
    lastRoutingPath = routingPath(path);
    lastPath = path;
  }
  return lastRoutingPath;
}
