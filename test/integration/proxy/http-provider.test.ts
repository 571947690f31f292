/**
 * The HTTP provider against a real HTTP(S) server on port 0: routing follows the endpoint's
 * configuration; an endpoint that fails, answers garbage or goes away keeps the last good
 * configuration in service with the outage logged once; when it comes back, changes resume.
 */
import { readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';

/** The endpoint's answer, changed by each test. */
interface Answer {
  status: number;
  contentType: string;
  body: string;
}

function routeTo(name: string, url: string) {
  return {
    http: {
      routers: { [name]: { rule: `Path(\`/${name}\`)`, service: name } },
      services: { [name]: { loadBalancer: { servers: [{ url }] } } },
    },
  };
}

const json = (value: unknown): Answer => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(value),
});

function endpointHandler(state: { answer: Answer; polls: IncomingMessage[] }) {
  return (req: IncomingMessage, res: ServerResponse) => {
    state.polls.push(req);
    res.writeHead(state.answer.status, { 'content-type': state.answer.contentType });
    res.end(state.answer.body);
  };
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

describe('providers.http', () => {
  const state = { answer: json({}), polls: [] as IncomingMessage[] };
  let endpoint: Server;
  let port: number;
  let proxy: TestProxy;
  let a: Upstream;
  let b: Upstream;

  beforeAll(async () => {
    a = await startUpstream((_req, res) => res.end('a'));
    b = await startUpstream((_req, res) => res.end('b'));
    state.answer = json(routeTo('a', a.url));
    endpoint = createServer(endpointHandler(state));
    port = await listen(endpoint);
    proxy = await startTestProxy({
      providers: {
        http: {
          endpoint: `http://127.0.0.1:${port}/dynamic?token=secret-query`,
          pollInterval: '50ms',
          pollTimeout: '2s',
          headers: { Authorization: 'Bearer secret-token' },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await close(endpoint);
    await a.close();
    await b.close();
  });

  /** Resolves once a routing with this router (`name@http`) is in service. */
  function applied(router: string) {
    return new Promise<void>((resolve) => {
      if (proxy.proxy.runtime()?.routers.get(`${router}@http`)?.status === 'enabled') return resolve();
      proxy.proxy.onApplied((runtime) => {
        if (runtime.routers.get(`${router}@http`)?.status === 'enabled') resolve();
      });
    });
  }

  /** Waits until the endpoint has been polled `n` more times. */
  async function polls(n: number) {
    const target = state.polls.length + n;
    await expect.poll(() => state.polls.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(target);
  }

  it('routes what the endpoint serves, sending the configured headers', async () => {
    await applied('a');
    expect((await nodeGet(`${proxy.url()}/a`)).body).toBe('a');
    expect(state.polls.at(-1)?.headers.authorization).toBe('Bearer secret-token');
    expect(state.polls.at(-1)?.url).toBe('/dynamic?token=secret-query');
  });

  it('follows changes, in JSON and in YAML', async () => {
    state.answer = json(routeTo('b', b.url));
    await applied('b');
    expect((await nodeGet(`${proxy.url()}/b`)).body).toBe('b');
    expect((await nodeGet(`${proxy.url()}/a`)).status).toBe(404);

    state.answer = { status: 200, contentType: 'application/yaml', body: stringify(routeTo('a', a.url)) };
    await applied('a');
    expect((await nodeGet(`${proxy.url()}/a`)).body).toBe('a');
  });

  it('keeps the last good configuration on errors and garbage, logging the outage once', async () => {
    const before = proxy.logs.length;
    for (const answer of [
      { status: 500, contentType: 'text/plain', body: 'oops' },
      { status: 200, contentType: 'application/json', body: '{"http": {"routers": ' },
      { status: 200, contentType: 'application/json', body: '"just a string"' },
    ]) {
      state.answer = answer;
      await polls(3);
      expect((await nodeGet(`${proxy.url()}/a`)).body).toBe('a');
    }
    const outages = proxy.logs
      .slice(before)
      .filter((line) => line.includes('AFF_ERR_PROXY_PROVIDER_UNREACHABLE'));
    expect(outages).toHaveLength(1);
    expect(outages[0]).toContain(
      `cannot read the configuration from http://127.0.0.1:${port}/dynamic?…: it answered HTTP 500`,
    );
    // Neither the header nor the query string reaches the logs.
    expect(proxy.logs.join('\n')).not.toContain('secret-token');
    expect(proxy.logs.join('\n')).not.toContain('secret-query');
  });

  it('logs the recovery, then follows changes again', async () => {
    const recovered = proxy.waitForLog(/reachable again/);
    state.answer = json({ ...routeTo('b', b.url) });
    await applied('b');
    await recovered;
    expect((await nodeGet(`${proxy.url()}/b`)).body).toBe('b');
  });

  it('keeps serving while the endpoint is down, and resumes when it is back', async () => {
    const outage = proxy.waitForLog(/AFF_ERR_PROXY_PROVIDER_UNREACHABLE/);
    await close(endpoint);
    await outage;
    expect((await nodeGet(`${proxy.url()}/b`)).body).toBe('b');

    state.answer = json(routeTo('a', a.url));
    endpoint = createServer(endpointHandler(state));
    await listen(endpoint, port);
    await applied('a');
    expect((await nodeGet(`${proxy.url()}/a`)).body).toBe('a');
    expect((await nodeGet(`${proxy.url()}/b`)).status).toBe(404);
  });
});

describe('providers.http: a mistake inside the configuration', () => {
  it('disables only that router, naming the endpoint and the line', async () => {
    const upstream = await startUpstream((_req, res) => res.end('good'));
    const config = routeTo('good', upstream.url) as { http: { routers: Record<string, unknown> } };
    config.http.routers.bad = { rule: 'Path(`/bad`', service: 'good' };
    const state = {
      answer: { ...json(config), body: JSON.stringify(config, null, 2) },
      polls: [] as IncomingMessage[],
    };
    const server = createServer(endpointHandler(state));
    const port = await listen(server);
    const proxy = await startTestProxy({
      providers: { http: { endpoint: `http://127.0.0.1:${port}/config.json`, pollInterval: '1s' } },
    });
    try {
      const runtime = proxy.proxy.runtime();
      expect(runtime?.routers.get('good@http')?.status).toBe('enabled');
      const bad = runtime?.routers.get('bad@http');
      expect(bad?.status).toBe('disabled');
      // The JSON is pretty-printed: the rule of "bad" is on line 9.
      expect(bad?.errors[0]?.message).toContain(
        `http://127.0.0.1:${port}/config.json:9: http.routers.bad.rule`,
      );
      expect((await nodeGet(`${proxy.url()}/good`)).body).toBe('good');
    } finally {
      await proxy.close();
      await close(server);
      await upstream.close();
    }
  });
});

describe('providers.http: redirects', () => {
  it('follows them as Traefik does, without carrying the Authorization header to another origin', async () => {
    const upstream = await startUpstream((_req, res) => res.end('moved'));
    const seen: IncomingMessage[] = [];
    const target = createServer((req, res) => {
      seen.push(req);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(routeTo('moved', upstream.url)));
    });
    const targetPort = await listen(target);
    const origin = createServer((req, res) => {
      seen.push(req);
      res.writeHead(302, { location: `http://localhost:${targetPort}/new` }).end();
    });
    const originPort = await listen(origin);
    const proxy = await startTestProxy({
      providers: {
        http: {
          endpoint: `http://127.0.0.1:${originPort}/old`,
          pollInterval: '1s',
          headers: { Authorization: 'Bearer secret' },
        },
      },
    });
    try {
      expect((await nodeGet(`${proxy.url()}/moved`)).body).toBe('moved');
      expect(seen.map((req) => [req.url, req.headers.authorization])).toEqual([
        ['/old', 'Bearer secret'],
        ['/new', undefined],
      ]);
    } finally {
      await proxy.close();
      await close(origin);
      await close(target);
      await upstream.close();
    }
  });
});

describe('providers.http.maxResponseBodySize', () => {
  it('refuses a larger answer as an outage instead of reading it', async () => {
    const state = { answer: json(routeTo('big', 'http://127.0.0.1:1')), polls: [] as IncomingMessage[] };
    const server = createServer(endpointHandler(state));
    const port = await listen(server);
    const proxy = await startTestProxy({
      providers: {
        http: { endpoint: `http://127.0.0.1:${port}/`, pollInterval: '1s', maxResponseBodySize: 20 },
      },
    });
    try {
      expect(proxy.logs.join('\n')).toContain('its answer is larger than 20 bytes');
      expect(proxy.proxy.runtime()?.routers.has('big@http')).toBe(false);
    } finally {
      await proxy.close();
      await close(server);
    }
  });
});

describe('providers.http over TLS', () => {
  let certs: TestCertificates;
  let server: Server;
  let proxy: TestProxy | undefined;
  let upstream: Upstream;

  beforeAll(async () => {
    // A CA of our own and a certificate it signed for 127.0.0.1, made with the real openssl.
    certs = makeTestCertificates();
    upstream = await startUpstream((_req, res) => res.end('over tls'));
    const state = { answer: json(routeTo('secure', upstream.url)), polls: [] as IncomingMessage[] };
    server = createHttpsServer(
      { key: readFileSync(certs.serverKey), cert: readFileSync(certs.serverCert) },
      endpointHandler(state),
    );
    await listen(server);
  });
  afterAll(async () => {
    await proxy?.close();
    await close(server);
    await upstream.close();
    rmSync(certs.dir, { recursive: true, force: true });
  });

  it('verifies the endpoint with tls.ca and routes what it serves', async () => {
    const port = (server.address() as AddressInfo).port;
    proxy = await startTestProxy({
      providers: {
        http: {
          endpoint: `https://127.0.0.1:${port}/`,
          pollInterval: '1s',
          tls: { ca: certs.ca },
        },
      },
    });
    expect(proxy.proxy.runtime()?.routers.get('secure@http')?.status).toBe('enabled');
    expect((await nodeGet(`${proxy.url()}/secure`)).body).toBe('over tls');
  });

  it('takes tls.ca as PEM text too, as Traefik does', async () => {
    const port = (server.address() as AddressInfo).port;
    const inline = await startTestProxy({
      providers: {
        http: {
          endpoint: `https://127.0.0.1:${port}/`,
          pollInterval: '1s',
          tls: { ca: readFileSync(certs.ca, 'utf8') },
        },
      },
    });
    try {
      expect(inline.proxy.runtime()?.routers.get('secure@http')?.status).toBe('enabled');
    } finally {
      await inline.close();
    }
  });

  it('refuses an endpoint whose certificate it cannot verify, saying why', async () => {
    const port = (server.address() as AddressInfo).port;
    const untrusting = await startTestProxy({
      providers: { http: { endpoint: `https://127.0.0.1:${port}/`, pollInterval: '1s' } },
    });
    try {
      const line = untrusting.logs.find((l) => l.includes('AFF_ERR_PROXY_PROVIDER_UNREACHABLE')) ?? '';
      expect(line).toMatch(/certificate/i);
      expect(untrusting.proxy.runtime()?.routers.has('secure@http')).toBe(false);
    } finally {
      await untrusting.close();
    }
  });
});
