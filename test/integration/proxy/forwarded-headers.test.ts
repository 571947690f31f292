import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  nodeGet,
  simpleRoute,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from './support/harness.js';

async function echoed(url: string, headers: Record<string, string> = {}) {
  const response = await nodeGet(url, headers);
  const body = JSON.parse(response.body) as { headers: Record<string, string>; url: string };
  return { status: response.status, headers: body.headers, url: body.url };
}

describe('forwarded and hop-by-hop headers', () => {
  let upstream: Upstream;
  let untrusted: TestProxy;
  let trusted: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream();
    untrusted = await startTestProxy({
      static: {
        entryPoints: { web: { address: '127.0.0.1:0', forwardedHeaders: { connection: ['x-keep-me'] } } },
      },
      dynamic: simpleRoute([upstream.url]),
    });
    trusted = await startTestProxy({
      static: {
        entryPoints: { web: { address: '127.0.0.1:0', forwardedHeaders: { trustedIPs: ['127.0.0.1/32'] } } },
      },
      dynamic: simpleRoute([upstream.url]),
    });
  });
  afterAll(async () => {
    await untrusted.close();
    await trusted.close();
    await upstream.close();
  });

  it('sets X-Forwarded-For, -Host, -Proto, -Port, -Server and X-Real-Ip', async () => {
    const { headers } = await echoed(`${untrusted.url()}/a`);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${untrusted.port()}`);
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-port']).toBe(String(untrusted.port()));
    expect(headers['x-forwarded-server']).toBeTruthy();
    expect(headers['x-real-ip']).toBe('127.0.0.1');
  });

  it('keeps the client Host by default (passHostHeader)', async () => {
    const { headers } = await echoed(`${untrusted.url()}/a`, { host: 'example.com' });
    expect(headers.host).toBe('example.com');
    expect(headers['x-forwarded-host']).toBe('example.com');
    expect(headers['x-forwarded-port']).toBe('80');
  });

  it('drops X-Forwarded-* and X-Real-Ip sent by an untrusted peer', async () => {
    const { headers } = await echoed(`${untrusted.url()}/a`, {
      'x-forwarded-for': '6.6.6.6',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-forwarded-prefix': '/evil',
      'x-forwarded-uri': '/evil',
      'x-real-ip': '6.6.6.6',
    });
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${untrusted.port()}`);
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-port']).toBe(String(untrusted.port()));
    expect(headers['x-forwarded-prefix']).toBeUndefined();
    expect(headers['x-forwarded-uri']).toBeUndefined();
    expect(headers['x-real-ip']).toBe('127.0.0.1');
  });

  it('keeps X-Forwarded-* from a trusted peer and appends the peer to X-Forwarded-For', async () => {
    const { headers } = await echoed(`${trusted.url()}/a`, {
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-host': 'public.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-forwarded-prefix': '/api',
      'x-real-ip': '203.0.113.7',
    });
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-host']).toBe('public.example');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['x-forwarded-port']).toBe('443');
    expect(headers['x-forwarded-prefix']).toBe('/api');
    expect(headers['x-real-ip']).toBe('203.0.113.7');
  });

  it('strips hop-by-hop request headers and those named in Connection', async () => {
    const { headers } = await echoed(`${untrusted.url()}/a`, {
      connection: 'keep-alive, X-Custom-Hop',
      'x-custom-hop': 'secret',
      'keep-alive': 'timeout=5',
      'proxy-connection': 'keep-alive',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      te: 'gzip',
      'x-end-to-end': 'kept',
    });
    expect(headers['x-custom-hop']).toBeUndefined();
    expect(headers['keep-alive']).toBeUndefined();
    expect(headers['proxy-connection']).toBeUndefined();
    expect(headers['proxy-authorization']).toBeUndefined();
    expect(headers.te).toBeUndefined();
    expect(headers['x-end-to-end']).toBe('kept');
  });

  it('forwards "TE: trailers", the one TE value that is end-to-end', async () => {
    const { headers } = await echoed(`${untrusted.url()}/a`, { te: 'trailers' });
    expect(headers.te).toBe('trailers');
  });

  it('never lets Connection remove X-Forwarded-* or X-Real-Ip (CVE-2024-45410)', async () => {
    const hostile =
      'close, X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto, X-Forwarded-Port, X-Forwarded-Server, X-Real-Ip';
    for (const proxy of [untrusted, trusted]) {
      const { headers } = await echoed(`${proxy.url()}/a`, { connection: hostile });
      expect(headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(headers['x-forwarded-host']).toBeTruthy();
      expect(headers['x-forwarded-proto']).toBe('http');
      expect(headers['x-forwarded-port']).toBeTruthy();
      expect(headers['x-forwarded-server']).toBeTruthy();
      expect(headers['x-real-ip']).toBe('127.0.0.1');
    }
  });

  it('lets headers listed in forwardedHeaders.connection through even when Connection names them', async () => {
    const { headers } = await echoed(`${untrusted.url()}/a`, {
      connection: 'x-keep-me, x-drop-me',
      'x-keep-me': '1',
      'x-drop-me': '1',
    });
    expect(headers['x-keep-me']).toBe('1');
    expect(headers['x-drop-me']).toBeUndefined();
  });
});

describe('response hop-by-hop headers and passHostHeader: false', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      res.writeHead(200, {
        connection: 'X-Upstream-Hop',
        'x-upstream-hop': 'internal',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        'x-host-seen': req.headers.host ?? '',
      });
      res.end('ok');
    });
    proxy = await startTestProxy({ dynamic: simpleRoute([upstream.url], { passHostHeader: false }) });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('strips them from the response, and sends the server host upstream', async () => {
    const response = await request(`${proxy.url()}/`, { headers: { host: 'example.com' } });
    await response.body.text();
    expect(response.headers['x-upstream-hop']).toBeUndefined();
    expect(response.headers['proxy-connection']).toBeUndefined();
    expect(response.headers['x-host-seen']).toBe(`127.0.0.1:${upstream.port}`);
  });
});
