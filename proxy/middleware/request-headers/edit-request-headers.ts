/**
 * Changes the headers a request carries upstream. The forwarder reads `req.rawHeaders` (it
 * keeps the client's spelling and order) and the rule engine and middlewares read
 * `req.headers`, so both are kept in step.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '../handler.js';

/**
 * Adds an X-Forwarded-* header as the proxy's own. From an untrusted peer, the client's
 * values of that header are removed first: they would be dropped anyway, and must not ride
 * along with the proxy's.
 */
export function addForwardedHeader(
  req: IncomingMessage,
  ctx: RequestContext,
  name: string,
  value: string,
): void {
  const lower = name.toLowerCase();
  const marked = ctx.forwardedByProxy;
  if (marked === undefined || !marked.includes(lower)) {
    if (!ctx.trustForwarded) removeRequestHeader(req, lower);
    if (marked === undefined) ctx.forwardedByProxy = [lower];
    else marked.push(lower);
  }
  addRequestHeader(req, name, value);
}

/**
 * Replaces every value of a header (Go's Header.Set, or `Header[name] = values` for a list);
 * an empty list removes the header.
 */
export function setRequestHeader(
  req: IncomingMessage,
  name: string,
  values: string | readonly string[],
): void {
  const lower = name.toLowerCase();
  if (typeof values === 'string' && req.headers[lower] === undefined) {
    // The usual case (a custom header the client did not send): nothing to replace.
    req.rawHeaders.push(name, values);
    (req.headers as Record<string, string>)[lower] = values;
    return;
  }
  const list = typeof values === 'string' ? [values] : values;
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== lower) out.push(raw[i] as string, raw[i + 1] as string);
  }
  for (const value of list) out.push(name, value);
  req.rawHeaders = out;
  // Node joins repeated request headers with ", " in `headers`; do the same.
  if (list.length === 0) delete req.headers[lower];
  else (req.headers as Record<string, string>)[lower] = list.join(', ');
}

/** Adds a value, keeping the ones already there (Go's Header.Add). */
export function addRequestHeader(req: IncomingMessage, name: string, value: string): void {
  const lower = name.toLowerCase();
  req.rawHeaders.push(name, value);
  const existing = req.headers[lower];
  (req.headers as Record<string, string>)[lower] =
    existing === undefined ? value : `${Array.isArray(existing) ? existing.join(', ') : existing}, ${value}`;
}

export function removeRequestHeader(req: IncomingMessage, name: string): void {
  const lower = name.toLowerCase();
  if (req.headers[lower] === undefined) return;
  const raw = req.rawHeaders;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== lower) out.push(raw[i] as string, raw[i + 1] as string);
  }
  req.rawHeaders = out;
  delete req.headers[lower];
}

/** The first value of a request header, as Go's Header.Get. */
export function requestHeader(req: IncomingMessage, lower: string): string {
  const value = req.headers[lower];
  if (value === undefined) return '';
  return Array.isArray(value) ? (value[0] ?? '') : value;
}
