/**
 * The small HTTP pieces every demo act uses: an upstream that says who it is, a GET with a
 * chosen Host header, and a wait for the proxy's next routing swap.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningProxy } from '../../proxy/proxy-app.js';

export async function startUpstream(name: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/health') return res.end('ok');
    res.setHeader('content-type', 'text/plain');
    res.end(
      `${name} answered ${req.method} ${req.url} for ${req.headers['x-forwarded-host'] ?? req.headers.host}`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A GET with a chosen Host header (fetch() may not set Host, so plain node:http it is). */
export function get(base: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${base}${path}`, { headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: body.trim() }));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Resolves on the next routing swap. */
export function nextApplied(proxy: RunningProxy): Promise<void> {
  return new Promise((resolve) => proxy.onApplied(() => resolve()));
}
