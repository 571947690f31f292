import type { IncomingHttpHeaders } from 'node:http';

/** What a rule may look at. Built once per request by the server. */
export interface RequestFacts {
  /** Host header (or :authority) as received; may carry a port / trailing dot / any case. */
  host: string;
  /** The request path without the query string, as received (not decoded). */
  path: string;
  method: string;
  /** Lower-case keys (node's req.headers). */
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  /** TCP peer address (may be IPv4-mapped IPv6 like ::ffff:127.0.0.1); never X-Forwarded-For. */
  remoteAddress: string;
  /**
   * Optional: node's `req.rawHeaders` (name, value, name, value...). When given, `Header` and
   * `HeaderRegexp` test every header line on its own, as Traefik does; node's `req.headers`
   * joins repeated lines with ", " and even drops repeats of some headers (e.g. Content-Type).
   */
  rawHeaders?: readonly string[];
}
