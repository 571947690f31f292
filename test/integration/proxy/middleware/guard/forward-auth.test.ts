import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../support/services.js';
import { expectDisabledByMiddleware } from '../../support/disabled-by-middleware.js';
import {
  nodeGet,
  routerPerMiddleware,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

interface Seen {
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with any method and body through node:http. */
function send(url: string, method: string, body: string, headers: Record<string, string> = {}) {
  return fetch(url, { method, body, headers }).then(async (r) => ({
    status: r.status,
    body: await r.text(),
  }));
}

describe('forwardAuth through the proxy, against a real authentication server', () => {
  let auth: Upstream;
  let upstream: Upstream;
  let proxy: TestProxy;
  const seen: Seen[] = [];

  beforeAll(async () => {
    auth = await startUpstream((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk;
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', headers: req.headers, body });
        const token = req.headers.authorization;
        if (token === 'Bearer good') {
          res.writeHead(200, {
            'x-auth-user': 'alice',
            'x-auth-role': 'admin',
            'x-secret': 'not for the service',
            'set-cookie': ['session=from-auth; Path=/', 'tracking=from-auth'],
          });
          res.end();
        } else if (token === 'Bearer redirect') {
          res.writeHead(302, { location: '/login?next=1' });
          res.end();
        } else {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="auth"', 'content-type': 'text/plain' });
          res.end('denied by the auth server');
        }
      });
    });
    upstream = await startUpstream((req, res) => {
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'set-cookie': ['session=from-service', 'keep=from-service'],
        });
        res.end(JSON.stringify({ headers: req.headers, size, method: req.method }));
      });
    });
    proxy = await startTestProxy({
      static: {
        entryPoints: {
          web: { address: '127.0.0.1:0' },
          trusted: { address: '127.0.0.1:0', forwardedHeaders: { trustedIPs: ['127.0.0.1'] } },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([auth.close(), upstream.close()]);
  });

  const routes = (middlewares: Record<string, unknown>) => routerPerMiddleware(middlewares, upstream.url);
  const last = () => seen[seen.length - 1] as Seen;

  it('returns the auth server answer when it refuses; resolves or preserves Location', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        fa: { forwardAuth: { address: `${auth.url}/check` } },
        keep: { forwardAuth: { address: `${auth.url}/check`, preserveLocationHeader: true } },
      }),
    );
    const denied = await nodeGet(`${proxy.url()}/fa/page`);
    expect(denied.status).toBe(401);
    expect(denied.body).toBe('denied by the auth server');
    expect(denied.headers['www-authenticate']).toBe('Bearer realm="auth"');
    expect(upstream.requests).toHaveLength(0);

    const redirect = await nodeGet(`${proxy.url()}/fa/page`, { authorization: 'Bearer redirect' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.location).toBe(`${auth.url}/login?next=1`);
    const kept = await nodeGet(`${proxy.url()}/keep/page`, { authorization: 'Bearer redirect' });
    expect(kept.headers.location).toBe('/login?next=1');
  });

  it('admits on 2xx and copies authResponseHeaders and authResponseHeadersRegex onto the request', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        fa: {
          forwardAuth: {
            address: `${auth.url}/check`,
            authResponseHeaders: ['X-Auth-User'],
            authResponseHeadersRegex: '^X-Auth-R',
            headerField: 'X-Auth-User',
          },
        },
      }),
    );
    const ok = await nodeGet(`${proxy.url()}/fa/page?q=1`, {
      authorization: 'Bearer good',
      'x-auth-user': 'mallory',
      'x-auth-rank': 'forged',
    });
    expect(ok.status).toBe(200);
    const got = JSON.parse(ok.body).headers;
    expect(got['x-auth-user']).toBe('alice');
    expect(got['x-auth-role']).toBe('admin');
    expect(got['x-auth-rank']).toBeUndefined();
    expect(got['x-secret']).toBeUndefined();
    expect(last().method).toBe('GET');
    expect(last().headers['x-forwarded-uri']).toBe('/fa/page?q=1');
    expect(last().headers['x-forwarded-method']).toBe('GET');
  });

  it('rebuilds X-Forwarded-* for the auth server unless trustForwardHeader AND a trusted peer', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        trust: { forwardAuth: { address: `${auth.url}/check`, trustForwardHeader: true } },
        notrust: { forwardAuth: { address: `${auth.url}/check` } },
      }),
    );
    const forged = {
      'x-forwarded-uri': '/public',
      'x-forwarded-host': 'public.example',
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-method': 'OPTIONS',
      'x-forwarded-proto': 'https',
      host: 'admin.example',
    };
    // trustForwardHeader on, but the peer is not trusted by the entryPoint: nothing is believed.
    await nodeGet(`${proxy.url('web')}/trust/admin`, forged);
    expect(last().headers).toMatchObject({
      'x-forwarded-uri': '/trust/admin',
      'x-forwarded-host': 'admin.example',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-method': 'GET',
      'x-forwarded-proto': 'http',
    });
    // A trusted peer, but the middleware does not trust forward headers: rebuilt too.
    await nodeGet(`${proxy.url('trusted')}/notrust/admin`, forged);
    expect(last().headers['x-forwarded-uri']).toBe('/notrust/admin');
    expect(last().headers['x-forwarded-for']).toBe('127.0.0.1');
    // Both: the previous proxy's values are kept, and the peer is appended to X-Forwarded-For.
    await nodeGet(`${proxy.url('trusted')}/trust/admin`, forged);
    expect(last().headers).toMatchObject({
      'x-forwarded-uri': '/public',
      'x-forwarded-host': 'public.example',
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-method': 'OPTIONS',
      'x-forwarded-proto': 'https',
    });
  });

  it('authRequestHeaders filters what the auth server sees', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        fa: {
          forwardAuth: { address: `${auth.url}/check`, authRequestHeaders: ['Accept', 'Authorization'] },
        },
      }),
    );
    await nodeGet(`${proxy.url()}/fa`, {
      accept: 'text/html',
      authorization: 'Bearer good',
      'x-custom': 'no',
    });
    expect(last().headers.accept).toBe('text/html');
    expect(last().headers.authorization).toBe('Bearer good');
    expect(last().headers['x-custom']).toBeUndefined();
    expect(last().headers['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('forwardBody with preserveRequestMethod sends the body to both; maxBodySize refuses with 401', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        fa: {
          forwardAuth: {
            address: `${auth.url}/check`,
            forwardBody: true,
            maxBodySize: 10,
            preserveRequestMethod: true,
          },
        },
      }),
    );
    const ok = await send(`${proxy.url()}/fa`, 'POST', 'hello', { authorization: 'Bearer good' });
    expect(ok.status).toBe(200);
    expect(last()).toMatchObject({ method: 'POST', body: 'hello' });
    expect(JSON.parse(ok.body)).toMatchObject({ method: 'POST', size: 5 });
    const before = seen.length;
    const big = await send(`${proxy.url()}/fa`, 'POST', 'x'.repeat(11), { authorization: 'Bearer good' });
    expect(big.status).toBe(401);
    expect(seen).toHaveLength(before);
  });

  it('addAuthCookiesToResponse: the auth cookie replaces the service cookie of the same name', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        fa: { forwardAuth: { address: `${auth.url}/check`, addAuthCookiesToResponse: ['session'] } },
      }),
    );
    const ok = await nodeGet(`${proxy.url()}/fa`, { authorization: 'Bearer good' });
    expect(ok.headers['set-cookie']).toEqual(['keep=from-service', 'session=from-auth; Path=/']);
  });

  it('answers 500 when the auth server cannot be reached; a bad regex or TLS option disables the middleware and its router', async () => {
    const runtime = await proxy.write(
      'dynamic.yml',
      routes({
        down: { forwardAuth: { address: `http://127.0.0.1:${await freePort()}/auth` } },
        badregex: { forwardAuth: { address: `${auth.url}/check`, authResponseHeadersRegex: '(' } },
        badtls: { forwardAuth: { address: `${auth.url}/check`, tls: { cert: '/nonexistent.crt' } } },
      }),
    );
    expect((await nodeGet(`${proxy.url()}/down`)).status).toBe(500);
    expect(expectDisabledByMiddleware(runtime, 'badregex@file', 'badregex@file').message).toContain(
      'invalid regular expression',
    );
    expect(expectDisabledByMiddleware(runtime, 'badtls@file', 'badtls@file').message).toContain(
      'tls.cert and tls.key go together',
    );
  });
});
