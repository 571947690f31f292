import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/services.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy } from './support/harness.js';

/** An upstream that answers its name, and 500 on /health while `sick` is set. */
async function named(name: string, state = { sick: false }) {
  const upstream = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/health') {
      res.writeHead(state.sick ? 500 : 200);
      res.end();
      return;
    }
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      res.writeHead(200, { 'x-server': name, 'set-cookie': 'app=1' });
      res.end(`${name}:${req.url}:${body.length}`);
    });
  });
  return Object.assign(upstream, { state, name });
}

async function serversOf(
  proxy: TestProxy,
  path: string,
  count: number,
  headers: Record<string, string> = {},
) {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await nodeGet(`${proxy.url()}${path}`, headers);
    seen.push(response.status === 200 ? String(response.headers['x-server']) : String(response.status));
  }
  return seen;
}

/** Polls (health checks run on timers) with a generous overall deadline; no timing assertions. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const count = (list: string[], value: string) => list.filter((v) => v === value).length;

describe('services', () => {
  let a: Awaited<ReturnType<typeof named>>;
  let b: Awaited<ReturnType<typeof named>>;
  let c: Awaited<ReturnType<typeof named>>;
  let mirror: Awaited<ReturnType<typeof named>>;
  let proxy: TestProxy;
  let refused: string;

  beforeAll(async () => {
    [a, b, c, mirror] = await Promise.all([named('a'), named('b'), named('c'), named('mirror')]);
    refused = `http://127.0.0.1:${await freePort()}`;
    const route = (name: string, service: string) => ({ rule: `PathPrefix(\`/${name}\`)`, service });
    proxy = await startTestProxy({
      dynamic: {
        http: {
          routers: {
            wrr: route('wrr', 'wrr'),
            p2c: route('p2c', 'p2c'),
            sticky: route('sticky', 'sticky'),
            active: route('active', 'active'),
            passive: route('passive', 'passive'),
            none: route('none', 'none'),
            weighted: route('weighted', 'weighted'),
            wsticky: route('wsticky', 'wsticky'),
            mirrored: route('mirrored', 'mirrored'),
            failover: route('failover', 'failover'),
            propagate: route('propagate', 'propagate'),
            preserve: route('preserve', 'preserve'),
          },
          services: {
            wrr: {
              loadBalancer: {
                servers: [
                  { url: a.url, weight: 3 },
                  { url: b.url, weight: 1 },
                ],
              },
            },
            p2c: { loadBalancer: { strategy: 'p2c', servers: [{ url: a.url }, { url: b.url }] } },
            sticky: {
              loadBalancer: {
                servers: [{ url: a.url }, { url: b.url }],
                sticky: {
                  cookie: {
                    name: 'lb',
                    httpOnly: true,
                    secure: true,
                    sameSite: 'lax',
                    maxAge: 60,
                    path: '/sticky',
                  },
                },
              },
            },
            active: {
              loadBalancer: {
                servers: [{ url: c.url }, { url: b.url }],
                healthCheck: { path: '/health', interval: '50ms', timeout: '1s' },
              },
            },
            passive: {
              loadBalancer: {
                servers: [{ url: refused }, { url: b.url }],
                passiveHealthCheck: { maxFailedAttempts: 1, failureWindow: '1h' },
              },
            },
            none: { loadBalancer: { servers: [] } },
            onlyA: { loadBalancer: { servers: [{ url: a.url }] } },
            onlyB: { loadBalancer: { servers: [{ url: b.url }] } },
            onlyC: {
              loadBalancer: { servers: [{ url: c.url }], healthCheck: { path: '/health', interval: '50ms' } },
            },
            onlyMirror: { loadBalancer: { servers: [{ url: mirror.url }] } },
            weighted: {
              weighted: {
                services: [
                  { name: 'onlyA', weight: 1 },
                  { name: 'onlyB', weight: 1 },
                ],
              },
            },
            wsticky: {
              weighted: {
                services: [
                  { name: 'onlyA', weight: 1 },
                  { name: 'onlyB', weight: 1 },
                ],
                sticky: { cookie: { name: 'w' } },
              },
            },
            mirrored: {
              mirroring: {
                service: 'onlyA',
                maxBodySize: 100,
                mirrors: [{ name: 'onlyMirror', percent: 100 }],
              },
            },
            failover: { failover: { service: 'onlyC', fallback: 'onlyB' } },
            propagate: {
              weighted: {
                healthCheck: {},
                services: [
                  { name: 'onlyC', weight: 5 },
                  { name: 'onlyB', weight: 1 },
                ],
              },
            },
            preserve: { loadBalancer: { servers: [{ url: `${a.url}/base`, preservePath: true }] } },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([a, b, c, mirror].map((u) => u.close()));
  });

  it('loadBalancer wrr: spreads by weight (3:1)', async () => {
    const seen = await serversOf(proxy, '/wrr', 8);
    expect(count(seen, 'a')).toBe(6);
    expect(count(seen, 'b')).toBe(2);
  });

  it('loadBalancer p2c: uses every server', async () => {
    const seen = await serversOf(proxy, '/p2c', 40);
    expect(count(seen, 'a')).toBeGreaterThan(0);
    expect(count(seen, 'b')).toBeGreaterThan(0);
  });

  it('sticky cookie: sets the cookie with its attributes and keeps the client on one server', async () => {
    const first = await nodeGet(`${proxy.url()}/sticky`);
    const cookies = first.headers['set-cookie'] as string[];
    const sticky = cookies.find((c) => c.startsWith('lb=')) as string;
    expect(cookies).toContain('app=1');
    expect(sticky).toMatch(/^lb=[0-9a-f]+; Path=\/sticky; Max-Age=60; HttpOnly; Secure; SameSite=Lax$/);
    const cookie = sticky.split(';')[0] as string;
    const seen = await serversOf(proxy, '/sticky', 6, { cookie });
    expect(new Set(seen)).toEqual(new Set([first.headers['x-server']]));
  });

  it('active health check: an unhealthy server gets no traffic, and comes back', async () => {
    c.state.sick = true;
    await eventually(
      async () => (await serversOf(proxy, '/active', 4)).every((s) => s === 'b'),
      'c to be out',
    );
    expect(await serversOf(proxy, '/active', 6)).toEqual(['b', 'b', 'b', 'b', 'b', 'b']);
    c.state.sick = false;
    await eventually(async () => (await serversOf(proxy, '/active', 4)).includes('c'), 'c to be back');
  });

  it('passive health check: a server that fails is taken out', async () => {
    const seen = await serversOf(proxy, '/passive', 6);
    expect(count(seen, '502')).toBeLessThanOrEqual(1);
    expect(seen.slice(2)).toEqual(['b', 'b', 'b', 'b']);
  });

  it('answers 503 when no server is available', async () => {
    expect((await nodeGet(`${proxy.url()}/none`)).status).toBe(503);
  });

  it('weighted: splits between services by weight', async () => {
    const seen = await serversOf(proxy, '/weighted', 4);
    expect(count(seen, 'a')).toBe(2);
    expect(count(seen, 'b')).toBe(2);
  });

  it('weighted: has its own sticky cookie', async () => {
    const first = await nodeGet(`${proxy.url()}/wsticky`);
    const cookie = (
      (first.headers['set-cookie'] as string[]).find((c) => c.startsWith('w=')) as string
    ).split(';')[0] as string;
    const seen = await serversOf(proxy, '/wsticky', 4, { cookie });
    expect(new Set(seen)).toEqual(new Set([first.headers['x-server']]));
  });

  it('mirroring: copies requests with their body to the mirror, and answers from the main service', async () => {
    const before = mirror.requests.length;
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(
          `${proxy.url()}/mirrored/x`,
          { method: 'POST', headers: { 'content-length': '11' } },
          (res) => {
            let body = '';
            res.on('data', (c) => {
              body += c;
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        );
        req.on('error', reject);
        req.end('hello world');
      }, reject);
    });
    expect(response).toEqual({ status: 200, body: 'a:/mirrored/x:11' });
    await eventually(async () => mirror.requests.length > before, 'the mirror to receive a copy');
    const copy = mirror.requests[mirror.requests.length - 1] as IncomingMessage;
    expect(copy.url).toBe('/mirrored/x');
    expect(copy.headers['content-length']).toBe('11');
  });

  it('mirroring: a body above maxBodySize reaches the main service whole and is not mirrored', async () => {
    const before = mirror.requests.length;
    const { request } = await import('node:http');
    const body = 'x'.repeat(1000);
    const answer = await new Promise<string>((resolve, reject) => {
      const req = request(`${proxy.url()}/mirrored/big`, { method: 'POST' }, (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(body);
    });
    expect(answer).toBe('a:/mirrored/big:1000');
    await nodeGet(`${proxy.url()}/mirrored/after`);
    await eventually(
      async () => mirror.requests.some((r) => r.url === '/mirrored/after'),
      'the next mirrored request',
    );
    expect(mirror.requests.slice(before).some((r) => r.url === '/mirrored/big')).toBe(false);
  });

  it('failover: uses the fallback while the main service is down, health propagating up', async () => {
    expect(await serversOf(proxy, '/failover', 2)).toEqual(['c', 'c']);
    c.state.sick = true;
    await eventually(async () => (await serversOf(proxy, '/failover', 1))[0] === 'b', 'failover to b');
    // weighted with healthCheck: {} skips its down child.
    expect(await serversOf(proxy, '/propagate', 6)).toEqual(['b', 'b', 'b', 'b', 'b', 'b']);
    c.state.sick = false;
    await eventually(async () => (await serversOf(proxy, '/failover', 1))[0] === 'c', 'back to c');
  });

  it('preservePath: prefixes the server URL path', async () => {
    const response = await nodeGet(`${proxy.url()}/preserve/x?q=1`);
    expect(response.body).toBe('a:/base/preserve/x?q=1:0');
  });
});
