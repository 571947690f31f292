import type { RequestFacts } from '../../../../proxy/rules/request-facts.js';

/** Builds RequestFacts the way the server does, from a URL-like target and a few extras. */
export function request(
  target: string,
  extras: {
    method?: string;
    headers?: Record<string, string | string[]>;
    rawHeaders?: string[];
    remoteAddress?: string;
  } = {},
): RequestFacts {
  // `https://Host:port/path?query`, or just `/path?query` (host example.com).
  const match = /^(?:https?:\/\/([^/?]*))?([^?]*)(?:\?(.*))?$/.exec(target);
  if (!match) throw new Error(`bad target ${target}`);
  const [, host = 'example.com', path = '', query = ''] = match;
  return {
    host,
    path: path === '' ? '/' : path,
    method: extras.method ?? 'GET',
    headers: { host, ...extras.headers },
    query: new URLSearchParams(query),
    remoteAddress: extras.remoteAddress ?? '127.0.0.1',
    ...(extras.rawHeaders ? { rawHeaders: extras.rawHeaders } : {}),
  };
}
