/**
 * `providers.precedence` as Traefik v3 documents it: a tiebreaker between routers of different
 * providers with the same priority; the first listed provider wins, unlisted ones lose, names
 * are case-insensitive, and Traefik's default order applies when it is not set.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticConfigSchema } from '../../../proxy/config/static-schema.js';
import { nodeGet, startTestProxy, startUpstream, type Upstream } from './support/harness.js';

// The routers are named so that name order (the last tiebreaker) would pick the http one.
const sameRoute = (router: string, url: string, extra: Record<string, unknown> = {}) => ({
  http: {
    routers: { [router]: { rule: 'Path(`/same`)', service: 'app', ...extra } },
    services: { app: { loadBalancer: { servers: [{ url }] } } },
  },
});

describe('providers.precedence', () => {
  let fromFile: Upstream;
  let fromHttp: Upstream;
  let endpoint: Server;
  let endpointUrl: string;

  beforeAll(async () => {
    fromFile = await startUpstream((_req, res) => res.end('from-file'));
    fromHttp = await startUpstream((_req, res) => res.end('from-http'));
    endpoint = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(sameRoute('a', fromHttp.url)));
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    endpoint.closeAllConnections();
    await new Promise((resolve) => endpoint.close(resolve));
    await fromFile.close();
    await fromHttp.close();
  });

  async function winner(precedence: unknown, fileRouter: Record<string, unknown> = {}) {
    const proxy = await startTestProxy({
      dynamic: sameRoute('z', fromFile.url, fileRouter),
      providers: {
        http: { endpoint: endpointUrl, pollInterval: '10s' },
        ...(precedence ? { precedence } : {}),
      },
    });
    try {
      const runtime = proxy.proxy.runtime();
      expect(runtime?.routers.get('z@file')?.status).toBe('enabled');
      expect(runtime?.routers.get('a@http')?.status).toBe('enabled');
      return (await nodeGet(`${proxy.url()}/same`)).body;
    } finally {
      await proxy.close();
    }
  }

  it("uses Traefik's default order when unset: file before http", async () => {
    expect(await winner(undefined)).toBe('from-file');
  });

  it('lets the first listed provider win a tie, case-insensitively', async () => {
    expect(await winner(['http', 'file'])).toBe('from-http');
    expect(await winner(['File', 'HTTP'])).toBe('from-file');
  });

  it('makes an unlisted provider lose to a listed one', async () => {
    expect(await winner(['http'])).toBe('from-http');
  });

  it('is only a tiebreaker: an explicit priority still wins', async () => {
    expect(await winner(['http', 'file'], { priority: 1000 })).toBe('from-file');
  });

  it('takes the comma-separated form that flags and env vars give', () => {
    const config = staticConfigSchema.parse({ providers: { precedence: 'kubernetescrd, Kubernetes,file' } });
    expect(config.providers.precedence).toEqual(['kubernetescrd', 'kubernetes', 'file']);
  });
});
