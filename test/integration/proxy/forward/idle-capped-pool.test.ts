import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Client } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { IdleCappedPool } from '../../../../proxy/forward/idle-capped-pool.js';
import {
  answerWhenInFlight,
  type ConnectionCount,
  countConnections,
  eventually,
} from '../support/upstream-connections.js';

interface Upstream {
  server: Server;
  origin: string;
  connections: ConnectionCount;
}

const started: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const thing of started.splice(0).reverse()) await thing.close();
});

async function upstream(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Upstream> {
  const server = createServer(handler);
  // Node closes idle keep-alive connections after 5 s; these tests count them.
  server.keepAliveTimeout = 60_000;
  const connections = countConnections(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  started.push({
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections };
}

/** An Agent built as upstream-agents.ts builds it, with a handle on the pool it creates. */
function agentWithPool(maxIdle: number, options: Agent.Options = {}) {
  const pools: IdleCappedPool[] = [];
  const agent = new Agent({
    keepAliveTimeout: 60_000,
    ...options,
    factory: (origin, opts) => {
      const pool = new IdleCappedPool(origin, opts as Client.Options, maxIdle);
      pools.push(pool);
      return pool;
    },
  });
  started.push({ close: () => agent.destroy() });
  return {
    agent,
    /** The pool the agent created last (it creates one on the first request to an origin). */
    pool(): IdleCappedPool {
      const pool = pools.at(-1);
      if (!pool) throw new Error('the agent has not created a pool yet');
      return pool;
    },
  };
}

async function get(agent: Agent, origin: string, headers: Record<string, string> = {}) {
  const response = await agent.request({ origin, path: '/', method: 'GET', headers });
  return { status: response.statusCode, body: await response.body.text() };
}

const ok = (_req: IncomingMessage, res: ServerResponse) => res.end('ok');

/**
 * undici frees a connection a moment after the response ends (its 'drain' comes one event-loop
 * turn later); a request sent in between rightly opens another. Across a network, as in the
 * proxy, the next request cannot arrive that fast; in-process tests wait for it.
 */
function idle(pool: () => IdleCappedPool, count: number): Promise<void> {
  return eventually(
    () => pool().idleConnections === count,
    () => `${pool().idleConnections} idle connections, not ${count}`,
  );
}

describe('IdleCappedPool', () => {
  it('runs every concurrent request at once, then keeps only maxIdle connections', async () => {
    const gate = answerWhenInFlight(10);
    const server = await upstream((_req, res) => gate.handle(res));
    const { agent, pool } = agentWithPool(2);

    const answers = await Promise.all(Array.from({ length: 10 }, () => get(agent, server.origin)));

    expect(answers.map((a) => a.body)).toEqual(Array(10).fill('done'));
    expect(gate.mostInFlight).toBe(10);
    expect(server.connections.total).toBe(10);
    await eventually(
      () => server.connections.open === 2,
      () => `${server.connections.open} connections still open`,
    );
    await idle(pool, 2);
    expect(pool().connections).toBe(2);
  });

  it('reuses one kept-alive connection for sequential requests', async () => {
    const server = await upstream(ok);
    const { agent, pool } = agentWithPool(2);
    for (let i = 0; i < 20; i++) {
      expect((await get(agent, server.origin)).body).toBe('ok');
      await idle(pool, 1);
    }
    expect(server.connections.total).toBe(1);
  });

  it('keeps no connection when maxIdle is 0, closing each after its response', async () => {
    const server = await upstream(ok);
    const { agent } = agentWithPool(0);
    for (let i = 0; i < 5; i++) expect((await get(agent, server.origin)).body).toBe('ok');
    expect(server.connections.total).toBe(5);
    await eventually(
      () => server.connections.open === 0,
      () => `${server.connections.open} connections still open`,
    );
  });

  it('drops an idle connection the server closes and opens a new one for the next request', async () => {
    const server = await upstream(ok);
    const { agent, pool } = agentWithPool(2);
    await get(agent, server.origin);
    await idle(pool, 1);

    server.server.closeIdleConnections();
    await idle(pool, 0);

    expect((await get(agent, server.origin)).body).toBe('ok');
    expect(server.connections.total).toBe(2);
  });

  it('closes an idle connection after keepAliveTimeout (idleConnTimeout)', async () => {
    const server = await upstream(ok);
    const { agent } = agentWithPool(2, { keepAliveTimeout: 100, keepAliveMaxTimeout: 100 });
    await get(agent, server.origin);
    await eventually(
      () => server.connections.total === 1 && server.connections.open === 0,
      () => `${server.connections.open} of ${server.connections.total} connections open`,
    );
  });

  it('is neither wedged nor leaking after requests undici refuses', async () => {
    const server = await upstream(ok);
    const { agent, pool } = agentWithPool(1);
    // A fresh client refused before it ever connected is closed, not kept.
    await expect(get(agent, server.origin, { expect: '100-continue' })).rejects.toThrow(/expect/);
    await eventually(
      () => pool().connections === 0,
      () => `${pool().connections} clients left`,
    );

    await get(agent, server.origin);
    await idle(pool, 1);
    // An idle client taken for a refused request goes straight back to the idle list.
    for (let i = 0; i < 20; i++) {
      await expect(get(agent, server.origin, { expect: '100-continue' })).rejects.toThrow(/expect/);
      expect(pool().idleConnections).toBe(1);
    }
    expect((await get(agent, server.origin)).body).toBe('ok');
    expect(server.connections.total).toBe(1);
  });

  it('close() lets a request in flight finish, then refuses new ones', async () => {
    let answer: ServerResponse | undefined;
    const server = await upstream((_req, res) => {
      answer = res;
    });
    const { agent, pool } = agentWithPool(2);
    const inFlight = get(agent, server.origin);
    await eventually(
      () => answer !== undefined,
      () => 'the request never reached the server',
    );

    const closed = pool().close();
    expect(pool().closed).toBe(true);
    answer?.end('finished');

    expect(await inFlight).toEqual({ status: 200, body: 'finished' });
    await closed;
    expect(pool().destroyed).toBe(true);
    await expect(pool().request({ origin: server.origin, path: '/', method: 'GET' })).rejects.toThrow(
      /closed|destroyed/,
    );
    await eventually(
      () => server.connections.open === 0,
      () => `${server.connections.open} connections still open`,
    );
  });

  it('destroy() aborts a request in flight', async () => {
    let reached = false;
    const server = await upstream(() => {
      reached = true;
    });
    const { agent, pool } = agentWithPool(2);
    const inFlight = get(agent, server.origin);
    await eventually(
      () => reached,
      () => 'the request never reached the server',
    );

    await pool().destroy();

    await expect(inFlight).rejects.toThrow(/destroyed/);
    await eventually(
      () => server.connections.open === 0,
      () => `${server.connections.open} connections still open`,
    );
  });
});
