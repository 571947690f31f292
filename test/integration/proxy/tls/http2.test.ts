import { readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import {
  createServer as createH2cServer,
  type Http2Server,
  connect as http2Connect,
  type IncomingHttpHeaders,
} from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSigned } from '../../../../proxy/tls/default-certificate.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from '../support/harness.js';
import { createTestCa, type TestCa } from '../support/test-certificates.js';
import { handshake } from '../support/tls-client.js';

async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface H2Response {
  headers: IncomingHttpHeaders;
  body: string;
  trailers: IncomingHttpHeaders | undefined;
}

function h2Request(
  port: number,
  servername: string,
  ca: string,
  headers: Record<string, string>,
  body?: string,
): Promise<H2Response & { maxConcurrentStreams: number | undefined; alpn: string | undefined }> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(`https://127.0.0.1:${port}`, { servername, ca });
    session.on('error', reject);
    const stream = session.request(
      { ':authority': servername, ...headers },
      { endStream: body === undefined },
    );
    let responseHeaders: IncomingHttpHeaders = {};
    let trailers: IncomingHttpHeaders | undefined;
    let text = '';
    stream.on('response', (h) => {
      responseHeaders = h;
    });
    stream.on('trailers', (t) => {
      trailers = t;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      text += chunk;
    });
    stream.on('error', reject);
    stream.on('end', () => {
      const settings = session.remoteSettings;
      const alpn = session.alpnProtocol;
      session.close();
      resolve({
        headers: responseHeaders,
        body: text,
        trailers,
        maxConcurrentStreams: settings.maxConcurrentStreams,
        alpn,
      });
    });
    if (body !== undefined) stream.end(body);
  });
}

describe('HTTP/2, gRPC, redirections and TLS-ALPN-01', () => {
  let ca: TestCa;
  let upstream: Upstream;
  let grpc: Http2Server;
  let grpcPort: number;
  let proxy: TestProxy;
  let securePort: number;
  const accessLogFile = join(tmpdir(), `affineur-h2-access-${process.pid}.log`);

  beforeAll(async () => {
    ca = await createTestCa();
    const server = await ca.issue({ dns: ['h2.test', 'grpc.test'] });
    upstream = await startUpstream((req, res) => {
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
      });
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, size }));
      });
    });
    // A gRPC-style server: HTTP/2 without TLS (h2c), status and message in trailers.
    grpc = createH2cServer();
    grpc.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () =>
          stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'served' }),
        );
        stream.end(`echo:${Buffer.concat(chunks).toString()}:${headers.te}`);
      });
    });
    await new Promise<void>((resolve) => grpc.listen(0, '127.0.0.1', resolve));
    grpcPort = (grpc.address() as AddressInfo).port;
    securePort = await freePort();
    proxy = await startTestProxy({
      static: {
        entryPoints: {
          web: { address: '127.0.0.1:0', http: { redirections: { entryPoint: { to: 'websecure' } } } },
          websecure: {
            address: `127.0.0.1:${securePort}`,
            http: { tls: {} },
            http2: { maxConcurrentStreams: 42 },
          },
        },
        accessLog: { filePath: accessLogFile },
      },
      dynamic: {
        http: {
          routers: {
            api: {
              rule: 'Host(`h2.test`)',
              service: 'app',
              entryPoints: ['websecure'],
              middlewares: ['headers'],
            },
            grpc: { rule: 'Host(`grpc.test`)', service: 'grpc', entryPoints: ['websecure'] },
          },
          middlewares: {
            headers: {
              headers: {
                customResponseHeaders: { 'X-Served': 'h2' },
                customRequestHeaders: { 'X-Added': 'yes' },
              },
            },
          },
          services: {
            app: { loadBalancer: { servers: [{ url: upstream.url }] } },
            grpc: { loadBalancer: { servers: [{ url: `h2c://127.0.0.1:${grpcPort}` }] } },
          },
        },
        tls: { certificates: [{ certFile: server.certPem, keyFile: server.keyPem }] },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
    await new Promise((resolve) => grpc.close(resolve));
    rmSync(accessLogFile, { force: true });
  });

  it('negotiates h2 by ALPN and serves it through the middlewares, with the HTTP/1.1 view upstream', async () => {
    const response = await h2Request(securePort, 'h2.test', ca.certPem, {
      ':path': '/echo?q=1',
      'x-client': 'a',
    });
    expect(response.alpn).toBe('h2');
    expect(response.headers[':status']).toBe(200);
    expect(response.headers['x-served']).toBe('h2');
    const seen = JSON.parse(response.body) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/echo?q=1');
    expect(seen.headers).toMatchObject({
      host: 'h2.test',
      'x-added': 'yes',
      'x-client': 'a',
      'x-forwarded-proto': 'https',
    });
    expect(Object.keys(seen.headers).some((name) => name.startsWith(':'))).toBe(false);
    expect(response.maxConcurrentStreams).toBe(42);
  });

  it('streams a request body over h2', async () => {
    const response = await h2Request(
      securePort,
      'h2.test',
      ca.certPem,
      { ':method': 'POST', ':path': '/upload', 'content-type': 'text/plain' },
      'x'.repeat(100_000),
    );
    expect(JSON.parse(response.body)).toMatchObject({ method: 'POST', size: 100_000 });
  });

  it('carries gRPC to an h2c upstream with its trailers intact', async () => {
    const response = await h2Request(
      securePort,
      'grpc.test',
      ca.certPem,
      {
        ':method': 'POST',
        ':path': '/pkg.Service/Method',
        'content-type': 'application/grpc',
        te: 'trailers',
      },
      'ping',
    );
    expect(response.headers[':status']).toBe(200);
    expect(response.headers['content-type']).toBe('application/grpc');
    expect(response.body).toBe('echo:ping:trailers');
    expect(response.trailers).toMatchObject({ 'grpc-status': '0', 'grpc-message': 'served' });
  });

  it('answers 502, not silence, when the server refuses an upgrade with an ordinary response', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpsRequest({
        host: '127.0.0.1',
        port: securePort,
        path: '/ws',
        servername: 'h2.test',
        ca: ca.certPem,
        agent: false,
        headers: { host: 'h2.test', connection: 'Upgrade', upgrade: 'websocket' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(502);
  });

  it('logs h2 requests in the access log like HTTP/1.1 ones', async () => {
    await h2Request(securePort, 'h2.test', ca.certPem, { ':path': '/logged' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readFileSync(accessLogFile, 'utf8')).toMatch(/"GET \/logged HTTP\/2\.0" 200 /);
  });

  it('redirects web to websecure as Traefik does (a router of its own, 301 for GET)', async () => {
    const response = await nodeGet(`${proxy.url()}/some/path?x=1`, { host: 'h2.test' });
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe(`https://h2.test:${securePort}/some/path?x=1`);
    const post = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${proxy.url()}/form`,
        { method: 'POST', headers: { host: 'h2.test' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('a=1');
    });
    expect(post).toBe(308);
  });

  it('answers TLS-ALPN-01 with the challenge certificate only when acme-tls/1 is offered', async () => {
    const challenge = await selfSigned('acme challenge', ['acme.test'], 1);
    proxy.proxy.tlsAlpnChallenges.set('acme.test', challenge);
    const validation = await handshake(securePort, {
      servername: 'acme.test',
      ALPNProtocols: ['acme-tls/1'],
    });
    expect(validation.alpn).toBe('acme-tls/1');
    expect(validation.commonName).toBe('acme challenge');
    const browser = await handshake(securePort, {
      servername: 'acme.test',
      ALPNProtocols: ['h2', 'http/1.1'],
    });
    expect(browser.commonName).toBe('TRAEFIK DEFAULT CERT');
    proxy.proxy.tlsAlpnChallenges.delete('acme.test');
    const after = await handshake(securePort, {
      servername: 'acme.test',
      ALPNProtocols: ['acme-tls/1', 'http/1.1'],
    });
    expect(after.commonName).toBe('TRAEFIK DEFAULT CERT');
    expect(after.alpn).not.toBe('acme-tls/1');
  });
});
