import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  simpleRoute,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from './support/harness.js';

describe('reloads under load', () => {
  let fast: Upstream;
  let slow: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    fast = await startUpstream((req, res) => {
      req.resume();
      req.on('end', () => res.end('fast'));
    });
    // Holds each response until the test has done a few reloads: requests in flight across them.
    slow = await startUpstream((req, res) => {
      req.resume();
      setTimeout(() => res.end('slow'), 150);
    });
    proxy = await startTestProxy({ dynamic: routes(0) });
  });
  afterAll(async () => {
    await proxy.close();
    await fast.close();
    await slow.close();
  });

  function routes(generation: number) {
    const config = simpleRoute([fast.url]) as {
      http: { routers: Record<string, unknown>; services: Record<string, unknown> };
    };
    config.http.routers.slow = { rule: 'PathPrefix(`/slow`)', service: 'slow' };
    config.http.services.slow = { loadBalancer: { servers: [{ url: slow.url }] } };
    // Each generation changes the config, so every write is a real rebuild and swap.
    config.http.routers[`gen${generation}`] = { rule: `Path(\`/gen/${generation}\`)`, service: 'app' };
    return config;
  }

  it('serves every request, in flight, new and on kept-alive connections, across 30 reloads', async () => {
    const client = new Agent({ connections: 4, keepAliveTimeout: 60_000 });
    let stop = false;
    const failures: string[] = [];
    let served = 0;
    const worker = async (path: string) => {
      while (!stop) {
        try {
          const response = await request(`${proxy.url()}${path}`, { dispatcher: client });
          const text = await response.body.text();
          if (response.statusCode !== 200 || (text !== 'fast' && text !== 'slow')) {
            failures.push(`${response.statusCode} ${text}`);
          }
          served++;
        } catch (error) {
          failures.push(String(error));
        }
      }
    };
    const workers = [worker('/'), worker('/'), worker('/slow'), worker('/slow')];
    for (let generation = 1; generation <= 30; generation++) {
      const runtime = await proxy.write('dynamic.yml', routes(generation));
      expect(runtime.routers.get(`gen${generation}@file`)?.status).toBe('enabled');
    }
    stop = true;
    await Promise.all(workers);
    await client.close();
    expect(failures).toEqual([]);
    expect(served).toBeGreaterThan(30);
  });

  it('keeps the last good routing when a file does not parse, with the file and line in the log', async () => {
    const before = proxy.proxy.runtime();
    const logged = proxy.waitForLog(/AFF_ERR_CONFIG_PARSE/);
    writeFileSync(join(proxy.dir, 'dynamic.yml'), 'http:\n  routers: [unclosed\n');
    const line = await logged;
    expect(line).toContain(`${join(proxy.dir, 'dynamic.yml')}:`);
    expect(proxy.proxy.runtime()).toBe(before);
    const response = await request(`${proxy.url()}/`);
    expect(await response.body.text()).toBe('fast');
    // Fixing the file applies again.
    const next = await proxy.write('dynamic.yml', routes(99));
    expect(next.routers.get('gen99@file')?.status).toBe('enabled');
  });

  it('applies files in subdirectories of the watched directory, new ones and changed ones', async () => {
    const sub = join(proxy.dir, 'teams', 'payments');
    const applied = () => new Promise<void>((resolve) => proxy.proxy.onApplied(() => resolve()));
    const writeRoute = (path: string) => {
      // Written then renamed, as editors and config-management tools do.
      writeFileSync(join(sub, '.routes.yml.tmp'), stringify(routeTo(path)));
      renameSync(join(sub, '.routes.yml.tmp'), join(sub, 'routes.yml'));
    };
    const created = applied();
    mkdirSync(sub, { recursive: true });
    writeRoute('/payments');
    await created;
    expect((await request(`${proxy.url()}/payments`)).statusCode).toBe(200);

    const changed = applied();
    writeRoute('/billing');
    await changed;
    expect((await request(`${proxy.url()}/billing`)).statusCode).toBe(200);
    expect((await request(`${proxy.url()}/payments`)).statusCode).toBe(200); // the catch-all router
    expect(proxy.proxy.runtime()?.routers.get('payments@file')?.status).toBe('enabled');
  });

  function routeTo(path: string) {
    return { http: { routers: { payments: { rule: `Path(\`${path}\`)`, service: 'app', priority: 1000 } } } };
  }
});
