/**
 * Splits a request target into path and query, and sanitizes the path the way Traefik's
 * `http.sanitizePath` does (Go's path.Clean: `//`, `/./` and `/../` resolved), so that routing
 * and the upstream see the same path and `/public/../admin` cannot dodge a `/admin` rule.
 */

export interface RequestTarget {
  path: string;
  /** With its leading `?`, or ''. */
  search: string;
}

export function splitRequestTarget(url: string): RequestTarget {
  let target = url;
  if (target.charCodeAt(0) !== 0x2f /* / */) {
    // Absolute form (`GET http://host/path`), which proxies must accept; `*` for OPTIONS.
    const scheme = target.indexOf('://');
    if (scheme !== -1) {
      const slash = target.indexOf('/', scheme + 3);
      target = slash === -1 ? '/' : target.slice(slash);
    }
  }
  const q = target.indexOf('?');
  return q === -1 ? { path: target, search: '' } : { path: target.slice(0, q), search: target.slice(q) };
}

export function sanitizePath(path: string): string {
  // The common case has nothing to clean; check before building anything.
  if (!path.includes('/.') && !path.includes('//')) return path;
  const out: string[] = [];
  const parts = path.split('/');
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  const last = parts[parts.length - 1];
  const trailing = path.length > 1 && (last === '' || last === '.' || last === '..') && out.length > 0;
  return `/${out.join('/')}${trailing ? '/' : ''}`;
}
