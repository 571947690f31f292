/**
 * Builds RequestFacts from node's IncomingMessage (HTTP/1.1, or HTTP/2 through the compat
 * API). The query string is parsed only if a rule asks for it, since most rules never do.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestFacts } from './request-facts.js';

class IncomingRequestFacts implements RequestFacts {
  readonly host: string;
  readonly path: string;
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly remoteAddress: string;
  readonly rawHeaders: readonly string[];
  private readonly rawQuery: string;
  private parsedQuery: URLSearchParams | undefined;

  constructor(request: IncomingMessage) {
    const headers = request.headers;
    const authority = headers[':authority'];
    this.host = (typeof authority === 'string' ? authority : headers.host) ?? '';
    const { path, query } = splitTarget(request.url ?? '/');
    this.path = path;
    this.rawQuery = query;
    this.method = request.method ?? 'GET';
    this.headers = headers;
    this.remoteAddress = request.socket?.remoteAddress ?? '';
    this.rawHeaders = request.rawHeaders;
  }

  get query(): URLSearchParams {
    this.parsedQuery ??= new URLSearchParams(this.rawQuery);
    return this.parsedQuery;
  }
}

export function requestFactsFromIncoming(request: IncomingMessage): RequestFacts {
  return new IncomingRequestFacts(request);
}

/**
 * Splits a request target into path and query. Origin-form (`/a?b`) is the usual case; an
 * absolute-form target (`http://host/a?b`, sent to proxies) keeps only its path, and `*`
 * (OPTIONS *) is kept as is.
 */
export function splitTarget(target: string): { path: string; query: string } {
  let rest = target;
  if (!rest.startsWith('/') && rest !== '*') {
    const scheme = rest.indexOf('://');
    if (scheme > 0) {
      const slash = rest.indexOf('/', scheme + 3);
      const question = rest.indexOf('?', scheme + 3);
      const pathStart = slash < 0 ? question : question < 0 ? slash : Math.min(slash, question);
      rest = pathStart < 0 ? '/' : rest.slice(pathStart);
      if (rest.startsWith('?')) rest = `/${rest}`;
    }
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const question = rest.indexOf('?');
  return question < 0
    ? { path: rest, query: '' }
    : { path: rest.slice(0, question), query: rest.slice(question + 1) };
}
