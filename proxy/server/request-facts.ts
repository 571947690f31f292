/**
 * The RequestFacts the rule engine matches on, built per request with as little work as
 * possible: the query is parsed only if a rule asks for it. The path is the one the entryPoint
 * already sanitized, so rules match the path that is forwarded.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestFacts } from '../rules/request-facts.js';

class LazyFacts implements RequestFacts {
  readonly host: string;
  readonly path: string;
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly remoteAddress: string;
  readonly rawHeaders: readonly string[];
  readonly #search: string;
  #query: URLSearchParams | undefined;

  constructor(req: IncomingMessage, path: string, search: string) {
    this.host = req.headers.host ?? '';
    this.path = path;
    this.method = req.method ?? 'GET';
    this.headers = req.headers;
    this.remoteAddress = req.socket.remoteAddress ?? '';
    this.rawHeaders = req.rawHeaders;
    this.#search = search;
  }

  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.#search);
    return this.#query;
  }
}

export function requestFacts(req: IncomingMessage, path: string, search: string): RequestFacts {
  return new LazyFacts(req, path, search);
}
