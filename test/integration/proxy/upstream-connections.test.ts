import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';
import {
  answerWhenInFlight,
  type ConnectionCount,
  countConnections,
  eventually,
} from './support/upstream-connections.js';

/**
 * serversTransports.maxIdleConnsPerHost as Traefik (Go's http.Transport) reads it: it caps the
 * connections kept idle per server, never the ones in use.
 */
describe('upstream connections', () => {
  const concurrent = 10;
  const gates = { capped: answerWhenInFlight(concurrent), zero: answerWhenInFlight(concurrent) };
  let upstreams: Record<'capped' | 'zero' | 'plain' | 'none', Upstream & { connections: ConnectionCount }>;
  let proxy: TestProxy;

  beforeAll(async () => {
    const start = async (handler: Parameters<typeof startUpstream>[0]) => {
      const upstream = await startUpstream(handler);
      // Node closes idle keep-alive connections after 5 s; these tests count them.
      upstream.server.keepAliveTimeout = 60_000;
      return Object.assign(upstream, { connections: countConnections(upstream.server) });
    };
    upstreams = {
      capped: await start((_req, res) => gates.capped.handle(res)),
      zero: await start((_req, res) => gates.zero.handle(res)),
      plain: await start((_req, res) => res.end('plain')),
      none: await start((_req, res) => res.end('none')),
    };
    const route = (name: string) => ({ rule: `PathPrefix(\`/${name}\`)`, service: name });
    const service = (name: keyof typeof upstreams, serversTransport?: string) => ({
      loadBalancer: {
        servers: [{ url: upstreams[name].url }],
        ...(serversTransport ? { serversTransport } : {}),
      },
    });
    proxy = await startTestProxy({
      dynamic: {
        http: {
          routers: {
            capped: route('capped'),
            zero: route('zero'),
            plain: route('plain'),
            none: route('none'),
          },
          services: {
            capped: service('capped', 'twoIdle'),
            zero: service('zero', 'goDefault'),
            plain: service('plain'),
            none: service('none', 'noIdle'),
          },
          serversTransports: {
            twoIdle: { maxIdleConnsPerHost: 2 },
            goDefault: { maxIdleConnsPerHost: 0 },
            noIdle: { maxIdleConnsPerHost: -1 },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    for (const upstream of Object.values(upstreams)) await upstream.close();
  });

  it.each([
    { name: 'capped', setting: 'maxIdleConnsPerHost: 2' },
    { name: 'zero', setting: "maxIdleConnsPerHost: 0, Go's default of 2" },
  ] as const)(
    `$setting: runs ${concurrent} slow requests at once, then keeps 2 connections`,
    async ({ name }) => {
      const answers = await Promise.all(
        Array.from({ length: concurrent }, () => nodeGet(`${proxy.url()}/${name}`)),
      );

      expect(answers.map((a) => `${a.status} ${a.body}`)).toEqual(Array(concurrent).fill('200 done'));
      expect(gates[name].mostInFlight).toBe(concurrent);
      const { connections } = upstreams[name];
      expect(connections.total).toBe(concurrent);
      await eventually(
        () => connections.open === 2,
        () => `${connections.open} upstream connections still open`,
      );
    },
  );

  it('reuses one kept-alive connection for sequential requests (default transport)', async () => {
    for (let i = 0; i < 20; i++) {
      const answer = await nodeGet(`${proxy.url()}/plain`);
      expect(answer.body).toBe('plain');
    }
    expect(upstreams.plain.connections.total).toBe(1);
    expect(upstreams.plain.connections.open).toBe(1);
  });

  it('keeps no idle connection with a negative maxIdleConnsPerHost', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await nodeGet(`${proxy.url()}/none`);
      expect(answer.body).toBe('none');
    }
    const { connections } = upstreams.none;
    expect(connections.total).toBe(5);
    await eventually(
      () => connections.open === 0,
      () => `${connections.open} upstream connections still open`,
    );
  });
});
