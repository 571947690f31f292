import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectDisabledByMiddleware } from '../../support/disabled-by-middleware.js';
import {
  nodeGet,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from '../../support/harness.js';

/** A server that accepts each connection and drops it at once: the network failing, for real. */
async function startDroppingServer(): Promise<{
  url: string;
  connections: () => number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('the condition was never met');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('retry and circuitBreaker through the proxy, against real failing upstreams', () => {
  let healthy: Upstream;
  let dropping: Awaited<ReturnType<typeof startDroppingServer>>;
  let proxy: TestProxy;
  let logDir: string;
  let failWith500 = true;
  let flaky: Upstream;

  beforeAll(async () => {
    healthy = await startUpstream((_req, res) => res.end('healthy'));
    flaky = await startUpstream((_req, res) => {
      res.statusCode = failWith500 ? 500 : 200;
      res.end(failWith500 ? 'broken' : 'fixed');
    });
    dropping = await startDroppingServer();
    logDir = mkdtempSync(join(tmpdir(), 'affineur-retry-log-'));
    proxy = await startTestProxy({
      static: { accessLog: { filePath: join(logDir, 'access.log'), format: 'json' } },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await Promise.all([healthy.close(), flaky.close(), dropping.close()]);
    rmSync(logDir, { recursive: true, force: true });
  });

  const route = (name: string, middleware: Record<string, unknown>, servers: string[]) => ({
    routers: { [name]: { rule: `PathPrefix(\`/${name}\`)`, service: name, middlewares: [name] } },
    middlewares: { [name]: middleware },
    services: { [name]: { loadBalancer: { servers: servers.map((url) => ({ url })) } } },
  });
  const merge = (...parts: ReturnType<typeof route>[]) => ({
    http: {
      routers: Object.assign({}, ...parts.map((p) => p.routers)),
      middlewares: Object.assign({}, ...parts.map((p) => p.middlewares)),
      services: Object.assign({}, ...parts.map((p) => p.services)),
    },
  });

  it('retry: a server that drops connections is retried onto the healthy one; retries are logged', async () => {
    await proxy.write(
      'dynamic.yml',
      merge(
        route('retried', { retry: { attempts: 2, initialInterval: '5ms' } }, [dropping.url, healthy.url]),
      ),
    );
    // Round robin alternates servers: whichever comes first, every request ends on the healthy one.
    for (let i = 0; i < 4; i++) {
      const answer = await nodeGet(`${proxy.url()}/retried/${i}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toBe('healthy');
    }
    expect(dropping.connections()).toBeGreaterThan(0);
    const logged = await eventually(async () => {
      const path = join(logDir, 'access.log');
      if (!existsSync(path)) return undefined;
      const lines = readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      return lines.some((l) => l.RetryAttempts === 1) ? lines : undefined;
    });
    expect(logged.every((l) => l.RetryAttempts <= 1)).toBe(true);
  });

  it('retry: gives up after attempts tries in all; a POST with a body is never replayed', async () => {
    await proxy.write(
      'dynamic.yml',
      merge(route('dead', { retry: { attempts: 3, initialInterval: '1ms' } }, [dropping.url])),
    );
    const before = dropping.connections();
    expect((await nodeGet(`${proxy.url()}/dead`)).status).toBe(502);
    expect(dropping.connections() - before).toBe(3);
    const beforePost = dropping.connections();
    const post = await fetch(`${proxy.url()}/dead`, { method: 'POST', body: 'order #1' });
    expect(post.status).toBe(502);
    expect(dropping.connections() - beforePost).toBe(1);
  });

  it('retry: once the server answers, even with a 500, there is no retry', async () => {
    failWith500 = true;
    await proxy.write('dynamic.yml', merge(route('answered', { retry: { attempts: 4 } }, [flaky.url])));
    const before = flaky.requests.length;
    expect((await nodeGet(`${proxy.url()}/answered`)).status).toBe(500);
    expect(flaky.requests.length - before).toBe(1);
  });

  it('circuitBreaker: trips on a 5xx ratio, answers responseCode itself, then recovers', async () => {
    failWith500 = true;
    await proxy.write(
      'dynamic.yml',
      merge(
        route(
          'guarded',
          {
            circuitBreaker: {
              expression: 'ResponseCodeRatio(500, 600, 0, 600) > 0.5',
              checkPeriod: '10ms',
              fallbackDuration: '300ms',
              recoveryDuration: '300ms',
              responseCode: 418,
            },
          },
          [flaky.url],
        ),
      ),
    );
    await eventually(async () =>
      (await nodeGet(`${proxy.url()}/guarded`)).status === 418 ? true : undefined,
    );
    // Tripped: the breaker answers without calling the service.
    const before = flaky.requests.length;
    const open = await nodeGet(`${proxy.url()}/guarded`);
    expect(open.status).toBe(418);
    expect(open.body).toBe("I'm a Teapot");
    expect(flaky.requests.length).toBe(before);
    failWith500 = false;
    // After fallbackDuration it lets traffic through again, and stays closed while the service is fine.
    await eventually(async () =>
      (await nodeGet(`${proxy.url()}/guarded`)).status === 200 ? true : undefined,
    );
    await eventually(async () => {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await nodeGet(`${proxy.url()}/guarded`)).status);
      return statuses.every((s) => s === 200) ? true : undefined;
    });
  });

  it('circuitBreaker: network errors count; a bad expression disables the middleware (naming the column) and its router', async () => {
    const runtime = await proxy.write(
      'dynamic.yml',
      merge(
        route(
          'net',
          {
            circuitBreaker: {
              expression: 'NetworkErrorRatio() > 0.5',
              checkPeriod: '10ms',
              fallbackDuration: '1m',
            },
          },
          [dropping.url],
        ),
        route('bad', { circuitBreaker: { expression: 'NetworkErrorRatio() >> 0.5' } }, [healthy.url]),
      ),
    );
    expect(expectDisabledByMiddleware(runtime, 'bad@file', 'bad@file').message).toMatch(/column \d+/);
    await eventually(async () => ((await nodeGet(`${proxy.url()}/net`)).status === 503 ? true : undefined));
    const before = dropping.connections();
    expect((await nodeGet(`${proxy.url()}/net`)).body).toBe('Service Unavailable');
    expect(dropping.connections()).toBe(before);
  });
});
