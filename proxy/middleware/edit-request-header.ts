/**
 * Changes a request header before it goes upstream. The forwarding step reads `rawHeaders` (to
 * keep the client's spelling and order) and middlewares read `headers`, so both views change
 * together; otherwise a removed `Authorization` would still reach the server.
 */
import type { IncomingMessage } from 'node:http';

export function removeRequestHeader(req: IncomingMessage, name: string): void {
  const lower = name.toLowerCase();
  delete req.headers[lower];
  const raw = req.rawHeaders;
  for (let i = raw.length - 2; i >= 0; i -= 2) {
    if ((raw[i] as string).toLowerCase() === lower) raw.splice(i, 2);
  }
}

/** Replaces every value of the header with the given ones (none: the header is removed). */
export function setRequestHeader(
  req: IncomingMessage,
  name: string,
  values: string | readonly string[],
): void {
  removeRequestHeader(req, name);
  const list = typeof values === 'string' ? [values] : values;
  if (list.length === 0) return;
  const lower = name.toLowerCase();
  // Node joins repeated headers with ", " in `headers` (set-cookie aside, which requests lack).
  req.headers[lower] = list.join(', ');
  for (const value of list) req.rawHeaders.push(name, value);
}
