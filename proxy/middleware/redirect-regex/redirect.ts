/**
 * What redirectRegex and redirectScheme share, as Traefik: the request URL is rebuilt as the
 * client sent it (scheme from X-Forwarded-Proto when the peer is trusted, Host, the current
 * path and query), rewritten by a regexp, and the client is sent to the result, unless it is
 * the same URL, in which case the request goes on. GET gets 302 (301 when permanent); every
 * other method 307 (308 when permanent), so the method and body survive the redirect.
 */
import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Handler, RequestContext } from '../handler.js';
import type { GoRegexp } from '../regexp-replacement/go-regexp-replace.js';

export function clientScheme(req: IncomingMessage, ctx: RequestContext): 'http' | 'https' {
  // The connection's own TLS says https; a trusted peer's X-Forwarded-Proto may say it too.
  if ((req.socket as { encrypted?: boolean } | undefined)?.encrypted === true) return 'https';
  if (!ctx.trustForwarded) return 'http';
  const proto = req.headers['x-forwarded-proto'];
  const value = (Array.isArray(proto) ? proto[0] : proto)?.toLowerCase();
  // An upgrade may carry ws/wss from a previous hop: only http(s) makes sense for a redirect.
  return value === 'https' || value === 'wss' ? 'https' : 'http';
}

export function requestUrl(req: IncomingMessage, ctx: RequestContext): string {
  return `${clientScheme(req, ctx)}://${req.headers.host ?? ''}${ctx.path}${ctx.search}`;
}

export function redirectStatus(method: string | undefined, permanent: boolean): number {
  if (method === 'GET') return permanent ? 301 : 302;
  return permanent ? 308 : 307;
}

export function redirectHandler(
  regexp: GoRegexp,
  replacement: string,
  permanent: boolean,
  next: Handler,
): Handler {
  return (req, res, ctx) => {
    const from = requestUrl(req, ctx);
    if (!regexp.test(from)) {
      next(req, res, ctx);
      return;
    }
    const to = regexp.replaceAll(from, replacement);
    if (to === from) {
      next(req, res, ctx);
      return;
    }
    sendRedirect(res, to, redirectStatus(req.method, permanent));
  };
}

function sendRedirect(res: ServerResponse, location: string, status: number): void {
  const body = STATUS_CODES[status] ?? '';
  res.writeHead(status, {
    location,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
