/**
 * Every middleware must behave the same on HTTP/2 as on HTTP/1.1: the same requests are sent
 * over HTTPS with both protocols, and the answers (status, the headers the middleware is about,
 * body) must be equal.
 */

import { connect as http2Connect } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from '../support/harness.js';
import { createTestCa } from '../support/test-certificates.js';

interface Answer {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

const compared = [
  'location',
  'www-authenticate',
  'content-encoding',
  'content-type',
  'x-custom',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'x-error-page',
  'vary',
];

interface Case {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

function pick(headers: Record<string, unknown>): Record<string, string | undefined> {
  return Object.fromEntries(
    compared.map((name) => [name, headers[name] === undefined ? undefined : String(headers[name])]),
  );
}

function decode(body: Buffer, encoding: unknown): string {
  return encoding === 'gzip' ? gunzipSync(body).toString() : body.toString();
}

describe('middlewares answer alike over HTTP/2 and HTTP/1.1', () => {
  let upstream: Upstream;
  let errorPages: Upstream;
  let auth: Upstream;
  let proxy: TestProxy;
  let ca: string;

  beforeAll(async () => {
    const authority = await createTestCa();
    ca = authority.certPem;
    const server = await authority.issue({ dns: ['mw.test'] });
    upstream = await startUpstream((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
      });
      req.on('end', () => {
        if (req.url?.includes('fail')) {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('upstream failed');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            url: req.url,
            method: req.method,
            size,
            prefix: req.headers['x-forwarded-prefix'] ?? null,
            added: req.headers['x-added'] ?? null,
            user: req.headers['x-auth-user'] ?? null,
            filler: 'x'.repeat(2000),
          }),
        );
      });
    });
    errorPages = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-error-page': 'yes' });
      res.end(`<h1>error page for ${req.url}</h1>`);
    });
    auth = await startUpstream((req, res) => {
      if (req.headers.authorization === 'Bearer good') {
        res.writeHead(200, { 'x-auth-user': 'alice' });
        res.end();
      } else {
        res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' });
        res.end('denied by forwardAuth');
      }
    });
    const middlewares: Record<string, unknown> = {
      headers: {
        headers: {
          customResponseHeaders: { 'X-Custom': 'on' },
          customRequestHeaders: { 'X-Added': 'yes' },
          accessControlAllowOriginList: ['https://app.test'],
          accessControlAllowMethods: ['GET', 'POST'],
        },
      },
      compress: { compress: {} },
      basicauth: { basicAuth: { users: ['test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'] } },
      errors: { errors: { status: ['500-599'], service: 'pages', query: '/{status}.html' } },
      redirect: { redirectScheme: { scheme: 'https', port: '8443', permanent: true } },
      stripprefix: { stripPrefix: { prefixes: ['/stripprefix'] } },
      addprefix: { addPrefix: { prefix: '/added' } },
      deny: { ipAllowList: { sourceRange: ['10.0.0.0/8'] } },
      buffering: { buffering: { maxRequestBodyBytes: 10 } },
      forwardauth: { forwardAuth: { address: auth.url, authResponseHeaders: ['X-Auth-User'] } },
    };
    proxy = await startTestProxy({
      dynamic: {
        http: {
          routers: Object.fromEntries(
            Object.keys(middlewares).map((name) => [
              name,
              {
                rule: `Host(\`mw.test\`) && PathPrefix(\`/${name}\`)`,
                service: 'app',
                middlewares: [name],
                tls: {},
              },
            ]),
          ),
          middlewares,
          services: {
            app: { loadBalancer: { servers: [{ url: upstream.url }] } },
            pages: { loadBalancer: { servers: [{ url: errorPages.url }] } },
          },
        },
        tls: { certificates: [{ certFile: server.certPem, keyFile: server.keyPem }] },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([upstream.close(), errorPages.close(), auth.close()]);
  });

  function overHttp1(c: Case): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(
        {
          host: '127.0.0.1',
          port: proxy.port(),
          path: c.path,
          method: c.method ?? 'GET',
          servername: 'mw.test',
          ca,
          agent: false,
          headers: { host: 'mw.test', ...c.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: pick(res.headers),
              body: decode(Buffer.concat(chunks), res.headers['content-encoding']),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(c.body);
    });
  }

  function overHttp2(c: Case): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const session = http2Connect(`https://127.0.0.1:${proxy.port()}`, { servername: 'mw.test', ca });
      session.on('error', reject);
      const stream = session.request(
        { ':method': c.method ?? 'GET', ':path': c.path, ':authority': 'mw.test', ...c.headers },
        { endStream: c.body === undefined },
      );
      let headers: Record<string, unknown> = {};
      const chunks: Buffer[] = [];
      stream.on('response', (h) => {
        headers = h;
      });
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('end', () => {
        session.close();
        resolve({
          status: Number(headers[':status']),
          headers: pick(headers),
          body: decode(Buffer.concat(chunks), headers['content-encoding']),
        });
      });
      if (c.body !== undefined) stream.end(c.body);
    });
  }

  it.each<[string, Case]>([
    ['headers (custom and CORS)', { path: '/headers/x', headers: { origin: 'https://app.test' } }],
    [
      'headers (CORS preflight)',
      {
        path: '/headers/x',
        method: 'OPTIONS',
        headers: { origin: 'https://app.test', 'access-control-request-method': 'POST' },
      },
    ],
    ['compress', { path: '/compress/x', headers: { 'accept-encoding': 'gzip' } }],
    ['basicAuth refused', { path: '/basicauth/x' }],
    [
      'basicAuth admitted',
      {
        path: '/basicauth/x',
        headers: { authorization: `Basic ${Buffer.from('test:test').toString('base64')}` },
      },
    ],
    ['errors (page from another service)', { path: '/errors/fail' }],
    ['redirectScheme', { path: '/redirect/x?y=1' }],
    ['stripPrefix', { path: '/stripprefix/x' }],
    ['addPrefix', { path: '/addprefix/x' }],
    ['ipAllowList refused', { path: '/deny/x' }],
    ['buffering over the limit', { path: '/buffering/x', method: 'POST', body: 'way more than ten bytes' }],
    ['buffering under the limit', { path: '/buffering/x', method: 'POST', body: 'short' }],
    ['forwardAuth refused', { path: '/forwardauth/x' }],
    ['forwardAuth admitted', { path: '/forwardauth/x', headers: { authorization: 'Bearer good' } }],
  ])('%s', async (_name, c) => {
    const h1 = await overHttp1(c);
    const h2 = await overHttp2(c);
    expect(h2).toEqual(h1);
  });
});
