import type { ServerResponse } from 'node:http';
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

describe('rateLimit and inFlightReq through the proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;
  /** Responses the slow route holds until the test lets them go. */
  const held: ServerResponse[] = [];
  let arrived: (() => void) | undefined;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url?.startsWith('/slow')) {
        held.push(res);
        arrived?.();
        return;
      }
      res.end('ok');
    });
    proxy = await startTestProxy({
      // The loopback peer is a trusted proxy here, so X-Forwarded-For counts for ipStrategy.
      static: {
        entryPoints: { web: { address: '127.0.0.1:0', forwardedHeaders: { trustedIPs: ['127.0.0.1'] } } },
      },
    });
  });
  afterAll(async () => {
    for (const res of held) res.end();
    await proxy.close();
    await upstream.close();
  });

  const routes = (middlewares: Record<string, unknown>) =>
    routerPerMiddleware(
      middlewares,
      upstream.url,
      (name) => `PathPrefix(\`/${name}\`) || PathPrefix(\`/slow/${name}\`)`,
    );

  it('rateLimit: lets the burst through, then answers 429 with Retry-After and X-Retry-In', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({ limited: { rateLimit: { average: 1, period: '1m', burst: 2 } } }),
    );
    expect((await nodeGet(`${proxy.url()}/limited`)).status).toBe(200);
    expect((await nodeGet(`${proxy.url()}/limited`)).status).toBe(200);
    const refused = await nodeGet(`${proxy.url()}/limited`);
    expect(refused.status).toBe(429);
    expect(refused.body).toBe('Too Many Requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(String(refused.headers['x-retry-in'])).toMatch(/^\d+(\.\d+)?s$/);
  });

  it('rateLimit: sources are counted apart (header, X-Forwarded-For depth)', async () => {
    await proxy.write(
      'dynamic.yml',
      routes({
        byKey: {
          rateLimit: { average: 1, period: '1m', sourceCriterion: { requestHeaderName: 'X-Api-Key' } },
        },
        byXff: { rateLimit: { average: 1, period: '1m', sourceCriterion: { ipStrategy: { depth: 1 } } } },
      }),
    );
    expect((await nodeGet(`${proxy.url()}/byKey`, { 'x-api-key': 'a' })).status).toBe(200);
    expect((await nodeGet(`${proxy.url()}/byKey`, { 'x-api-key': 'a' })).status).toBe(429);
    expect((await nodeGet(`${proxy.url()}/byKey`, { 'x-api-key': 'b' })).status).toBe(200);

    expect((await nodeGet(`${proxy.url()}/byXff`, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(200);
    expect((await nodeGet(`${proxy.url()}/byXff`, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    expect(
      (await nodeGet(`${proxy.url()}/byXff`, { 'x-forwarded-for': '10.0.0.1, 198.51.100.2' })).status,
    ).toBe(200);
  });

  it('rateLimit: average 0 means no limit; a bad option disables the middleware and only its routers', async () => {
    const runtime = await proxy.write(
      'dynamic.yml',
      routes({
        open: { rateLimit: { average: 0 } },
        typo: { rateLimit: { averge: 5 } },
        both: { rateLimit: { average: 1, sourceCriterion: { requestHost: true, requestHeaderName: 'X' } } },
      }),
    );
    for (let i = 0; i < 5; i++) expect((await nodeGet(`${proxy.url()}/open`)).status).toBe(200);
    expect(expectDisabledByMiddleware(runtime, 'typo@file', 'typo@file').message).toContain(
      'Did you mean "average"?',
    );
    expect(expectDisabledByMiddleware(runtime, 'both@file', 'both@file').message).toContain('Choose one of');
    expect(runtime.routers.get('open@file')?.status).toBe('enabled');
  });

  it('rateLimit with an unreachable Redis: 500 with denyOnError (the default), passes without', async () => {
    const port = await freePort();
    const redis = {
      endpoints: [`127.0.0.1:${port}`],
      dialTimeout: '200ms',
      readTimeout: '200ms',
      writeTimeout: '0s',
    };
    await proxy.write(
      'dynamic.yml',
      routes({
        deny: { rateLimit: { average: 1, redis } },
        allow: { rateLimit: { average: 1, redis: { ...redis, denyOnError: false } } },
      }),
    );
    expect((await nodeGet(`${proxy.url()}/deny`)).status).toBe(500);
    expect((await nodeGet(`${proxy.url()}/allow`)).status).toBe(200);
  });

  it('inFlightReq: one more request than amount in progress gets 429, and the slot frees when done', async () => {
    await proxy.write('dynamic.yml', routes({ gate: { inFlightReq: { amount: 1 } } }));
    const first = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const slow = nodeGet(`${proxy.url()}/slow/gate`);
    await first;
    expect((await nodeGet(`${proxy.url()}/gate`)).status).toBe(429);
    // Another Host is another source (the default criterion is requestHost).
    expect((await nodeGet(`${proxy.url()}/gate`, { host: 'other.example' })).status).toBe(200);
    held.shift()?.end('done');
    expect((await slow).status).toBe(200);
    expect((await nodeGet(`${proxy.url()}/gate`)).status).toBe(200);
  });
});
