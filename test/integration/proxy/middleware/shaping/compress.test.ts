import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zstdAvailable } from '../../../../../proxy/middleware/compress/negotiate-encoding.js';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from '../../support/harness.js';

const text = 'affineur compresses this line. '.repeat(200);

/** A raw GET: the body exactly as the proxy sent it, not decoded. */
function rawGet(url: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: Buffer;
  }>((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compress middleware through the real proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      const url = req.url ?? '/';
      if (url.startsWith('/small')) {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('tiny');
      } else if (url.startsWith('/stream')) {
        // No Content-Length: chunked, in pieces.
        res.writeHead(200, { 'content-type': 'text/plain' });
        let i = 0;
        const timer = setInterval(() => {
          res.write(text.slice(i * 1000, (i + 1) * 1000));
          if (++i * 1000 >= text.length) {
            clearInterval(timer);
            res.end();
          }
        }, 1);
      } else if (url.startsWith('/encoded')) {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        res.end('not really gzip');
      } else if (url.startsWith('/image')) {
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': text.length });
        res.end(text);
      } else if (url.startsWith('/empty')) {
        res.writeHead(204);
        res.end();
      } else if (url.startsWith('/cached')) {
        res.writeHead(304, { etag: '"x"' });
        res.end();
      } else {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-length': Buffer.byteLength(text),
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      }
    });
    proxy = await startTestProxy();
    await proxy.write('dynamic.yml', {
      http: {
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        middlewares: {
          compress: { compress: { excludedContentTypes: ['image/png'] } },
          'gzip-default': { compress: { encodings: ['gzip'], defaultEncoding: 'gzip' } },
          both: { compress: { excludedContentTypes: ['a/b'], includedContentTypes: ['c/d'] } },
        },
        routers: {
          main: { rule: 'PathPrefix(`/`)', service: 'app', middlewares: ['compress'] },
          default: { rule: 'PathPrefix(`/default`)', service: 'app', middlewares: ['gzip-default'] },
          both: { rule: 'PathPrefix(`/both`)', service: 'app', middlewares: ['both'] },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('compresses with the best accepted encoding, honouring q-values, and adds Vary', async () => {
    const br = await rawGet(`${proxy.url()}/page`, { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-length']).toBeUndefined();
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(brotliDecompressSync(br.body).toString()).toBe(text);
    const gzip = await rawGet(`${proxy.url()}/page`, { 'accept-encoding': 'gzip;q=1, br;q=0.5' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(text);
    const all = await rawGet(`${proxy.url()}/page`, { 'accept-encoding': 'zstd, br, gzip' });
    expect(all.headers['content-encoding']).toBe(zstdAvailable ? 'zstd' : 'br');
    const none = await rawGet(`${proxy.url()}/page`, { 'accept-encoding': 'identity' });
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString()).toBe(text);
    expect(none.headers.vary).toBe('Accept-Encoding');
  });

  it('streams a body of unknown length, and leaves a short one alone (minResponseBodyBytes)', async () => {
    const streamed = await rawGet(`${proxy.url()}/stream`, { 'accept-encoding': 'gzip' });
    expect(streamed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(streamed.body).toString()).toBe(text);
    const small = await rawGet(`${proxy.url()}/small`, { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['content-length']).toBe('4');
    expect(small.body.toString()).toBe('tiny');
  });

  it('never compresses twice, nor excluded types, HEAD, 204 or 304', async () => {
    const encoded = await rawGet(`${proxy.url()}/encoded`, { 'accept-encoding': 'gzip' });
    expect(encoded.headers['content-encoding']).toBe('gzip');
    expect(encoded.body.toString()).toBe('not really gzip');
    const image = await rawGet(`${proxy.url()}/image`, { 'accept-encoding': 'gzip' });
    expect(image.headers['content-encoding']).toBeUndefined();
    const head = await rawGet(`${proxy.url()}/page`, { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBeUndefined();
    expect((await rawGet(`${proxy.url()}/empty`, { 'accept-encoding': 'gzip' })).status).toBe(204);
    const cached = await rawGet(`${proxy.url()}/cached`, { 'accept-encoding': 'gzip' });
    expect(cached.status).toBe(304);
    expect(cached.headers['content-encoding']).toBeUndefined();
  });

  it('uses defaultEncoding when the client sends no Accept-Encoding', async () => {
    const response = await rawGet(`${proxy.url()}/default`);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(response.body).toString()).toBe(text);
  });

  it('refuses includedContentTypes together with excludedContentTypes', () => {
    const middleware = proxy.proxy.runtime()?.middlewares.get('both@file');
    expect(middleware?.status).toBe('disabled');
    expect(middleware?.errors[0]?.message).toMatch(/cannot be used together/);
  });
});
