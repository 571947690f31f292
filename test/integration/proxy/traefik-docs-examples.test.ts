import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDisabledByMiddleware } from './support/disabled-by-middleware.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';

const fixtures = new URL('./fixtures/traefik-docs/', import.meta.url);

describe('Traefik v3 documentation examples load and route as documented', () => {
  const upstreams = new Map<string, Upstream>();
  let proxy: TestProxy;

  /** Each documented server URL becomes a local server that says which one it is. */
  async function localize(text: string): Promise<string> {
    let out = text;
    for (const [, url] of text.matchAll(/url\s*[:=]\s*"?(http:\/\/[^"\s]+)/g)) {
      const original = url as string;
      if (!upstreams.has(original)) {
        upstreams.set(
          original,
          await startUpstream((req, res) => {
            res.writeHead(200, { 'x-server': original, 'x-host-seen': req.headers.host ?? '' });
            res.end();
          }),
        );
      }
      out = out.replaceAll(original, (upstreams.get(original) as Upstream).url);
    }
    return out;
  }

  /** Replaces the previous example (their names overlap) and waits until this one is in service. */
  async function load(name: string, router: string) {
    const text = await localize(readFileSync(new URL(name, fixtures), 'utf8'));
    const applied = new Promise<NonNullable<ReturnType<TestProxy['proxy']['runtime']>>>((resolve) =>
      proxy.proxy.onApplied((runtime) => {
        // The previous example's file may still be read in the same reload: wait until it is gone.
        const objects = [...runtime.routers.values(), ...runtime.services.values()];
        const leftovers = objects.some((o) =>
          o.errors.some((e) => e.code === 'AFF_ERR_PROXY_DUPLICATE_OBJECT'),
        );
        if (runtime.routers.has(`${router}@file`) && !leftovers) resolve(runtime);
      }),
    );
    for (const file of readdirSync(proxy.dir)) if (!file.startsWith('.')) unlinkSync(join(proxy.dir, file));
    writeFileSync(join(proxy.dir, `.${name}`), text);
    renameSync(join(proxy.dir, `.${name}`), join(proxy.dir, name));
    return applied;
  }

  async function servers(host: string, path: string, n: number) {
    const seen: string[] = [];
    for (let i = 0; i < n; i++)
      seen.push(String((await nodeGet(`${proxy.url()}${path}`, { host })).headers['x-server']));
    return seen;
  }

  beforeAll(async () => {
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([...upstreams.values()].map((u) => u.close()));
  });

  it('file provider: loads; my-basic-auth, and so router0, is disabled because its usersFile does not exist here', async () => {
    const runtime = await load('file-provider.yml', 'router0');
    expect(runtime.services.get('service-foo@file')?.status).toBe('enabled');
    const error = expectDisabledByMiddleware(runtime, 'router0@file', 'my-basic-auth@file');
    expect(error.code).toBe('AFF_ERR_CONFIG_READ');
    expect(error.message).toContain('etc/traefik/.htpasswd');
    expect((await nodeGet(`${proxy.url()}/foo`)).status).toBe(404);
  });

  it('two routers by Host, each to its service', async () => {
    await load('two-routers.yml', 'app');
    expect(await servers('example-a.com', '/', 1)).toEqual(['http://127.0.0.1:8080']);
    expect(await servers('example-b.com', '/', 1)).toEqual(['http://127.0.0.1:9090']);
  });

  it('weighted (TOML): 3 to appv1 for 1 to appv2', async () => {
    await load('weighted.toml', 'canary');
    const seen = await servers('canary.example.com', '/', 8);
    expect(seen.filter((s) => s === 'http://private-ip-server-1/')).toHaveLength(6);
    expect(seen.filter((s) => s === 'http://private-ip-server-2/')).toHaveLength(2);
  });

  it('mirroring: answers from appv1, copies 10% to appv2', async () => {
    await load('mirroring.yml', 'mirrored');
    const mirror = upstreams.get('http://private-ip-server-2/') as Upstream;
    const before = mirror.requests.length;
    expect(new Set(await servers('mirror.example.com', '/m', 10))).toEqual(
      new Set(['http://private-ip-server-1/']),
    );
    const deadline = Date.now() + 20_000;
    while (mirror.requests.length === before && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(mirror.requests.slice(before).filter((r) => r.url === '/m')).toHaveLength(1);
  });

  it('failover: serves from main while it is healthy', async () => {
    const runtime = await load('failover.yml', 'failover');
    expect(runtime.routers.get('failover@file')?.status).toBe('enabled');
    expect(await servers('failover.example.com', '/', 2)).toEqual([
      'http://private-ip-server-1/',
      'http://private-ip-server-1/',
    ]);
  });
});
