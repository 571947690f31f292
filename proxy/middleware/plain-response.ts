import type { ServerResponse } from 'node:http';

/**
 * Answers a request from the proxy itself with a short text body, as Traefik's middlewares do
 * (`401 Unauthorized`, `Too Many Requests`, ...). A response already under way is cut instead:
 * its head is gone, so the only honest signal left is a broken connection.
 */
export function sendPlain(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
