import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { expectDisabledByMiddleware } from '../../support/disabled-by-middleware.js';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

const fixtures = new URL('./fixtures/traefik-docs/', import.meta.url);
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('the Traefik v3 documentation examples of the guard middlewares load unchanged and behave', () => {
  let upstream: Upstream;
  let auth: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => res.end('service'));
    auth = await startUpstream((req, res) => {
      res.statusCode = req.headers.authorization === 'Bearer ok' ? 200 : 403;
      res.end(res.statusCode === 200 ? '' : 'forbidden by auth');
    });
    proxy = await startTestProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([upstream.close(), auth.close()]);
  });

  let generation = 0;

  /**
   * Replaces the routing with the example plus one router using its middleware, and waits for
   * it. The router's name changes each time: once it is in the runtime, the example written just
   * before it is too, and the previous example is gone.
   */
  async function load(file: string, middleware: string) {
    const router = `docs-${++generation}`;
    for (const name of readdirSync(proxy.dir)) if (!name.startsWith('.')) unlinkSync(join(proxy.dir, name));
    const text = readFileSync(new URL(file, fixtures), 'utf8').replace(
      'https://example.com/auth',
      `${auth.url}/auth`,
    );
    writeFileSync(join(proxy.dir, `.${file}`), text);
    renameSync(join(proxy.dir, `.${file}`), join(proxy.dir, file));
    writeFileSync(
      join(proxy.dir, '.routes.yml'),
      stringify({
        http: {
          routers: { [router]: { rule: 'PathPrefix(`/`)', service: 'app', middlewares: [middleware] } },
          services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        },
      }),
    );
    renameSync(join(proxy.dir, '.routes.yml'), join(proxy.dir, 'routes.yml'));
    const deadline = Date.now() + 10_000;
    for (;;) {
      const runtime = proxy.proxy.runtime();
      const built = runtime?.routers.get(`${router}@file`);
      if (runtime && built && runtime.middlewares.has(`${middleware}@file`))
        return { runtime, router: built };
      if (Date.now() > deadline) throw new Error(`${file} was never applied`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('basicAuth: the documented users; test/test is admitted', async () => {
    await load('basicauth.yml', 'test-auth');
    expect((await nodeGet(proxy.url())).status).toBe(401);
    const ok = await nodeGet(proxy.url(), {
      authorization: `Basic ${Buffer.from('test:test').toString('base64')}`,
    });
    expect(ok.body).toBe('service');
  });

  it('digestAuth: the documented users (TOML); test/test is admitted', async () => {
    await load('digestauth.toml', 'test-auth');
    const challenge = String((await nodeGet(proxy.url())).headers['www-authenticate']);
    const nonce = /nonce="([^"]+)"/.exec(challenge)?.[1];
    const ha1 = md5('test:traefik:test');
    const response = md5(`${ha1}:${nonce}:00000001:c:auth:${md5('GET:/')}`);
    const ok = await nodeGet(proxy.url(), {
      authorization: `Digest username="test", realm="traefik", nonce="${nonce}", uri="/", qop=auth, nc=00000001, cnonce="c", response="${response}"`,
    });
    expect(ok.body).toBe('service');
  });

  it('forwardAuth: the auth server decides', async () => {
    await load('forwardauth.yml', 'test-auth');
    const refused = await nodeGet(proxy.url());
    expect(refused.status).toBe(403);
    expect(refused.body).toBe('forbidden by auth');
    expect((await nodeGet(proxy.url(), { authorization: 'Bearer ok' })).body).toBe('service');
  });

  it('rateLimit: average 100, burst 200 (TOML) lets 50 simultaneous requests through', async () => {
    await load('ratelimit.toml', 'test-ratelimit');
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => nodeGet(proxy.url()).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('rateLimit with every Redis option: loads, and reports the TLS files it cannot read here', async () => {
    const { runtime, router } = await load('ratelimit-redis.yml', 'test-ratelimit');
    const error = expectDisabledByMiddleware(runtime, router.name, 'test-ratelimit@file');
    expect(error.code).toBe('AFF_ERR_CONFIG_READ');
    expect(error.message).toContain('/etc/ssl/redis-ca.crt');
  });

  it('inFlightReq, circuitBreaker and retry: load and serve', async () => {
    await load('inflightreq.yml', 'test-inflightreq');
    expect((await nodeGet(proxy.url())).body).toBe('service');
    await load('circuitbreaker.yml', 'latency-check');
    expect((await nodeGet(proxy.url())).body).toBe('service');
    await load('retry.toml', 'test-retry');
    expect((await nodeGet(proxy.url())).body).toBe('service');
  });
});
