import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';

/**
 * `responseForwarding.flushInterval`, as Go's reverse proxy applies it: chunks of a response
 * with a known length may wait for the interval (or a full buffer) to leave together; a stream
 * (no length, or server-sent events) and a negative interval relay every chunk at once.
 *
 * The upstream writes a chunk, then waits for the test to say "next"; the test checks what the
 * client has received meanwhile. The held-back case uses a 1-hour interval, so a chunk that
 * arrives anyway is a bug, never a slow machine.
 */
describe('responseForwarding.flushInterval', () => {
  let upstream: Upstream;
  let proxy: TestProxy;
  const pending = new Map<string, ServerResponse>();

  beforeAll(async () => {
    upstream = await startUpstream((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const length = url.searchParams.get('length');
      res.writeHead(200, {
        'content-type': url.searchParams.get('type') ?? 'text/plain',
        ...(length ? { 'content-length': length } : {}),
      });
      res.write('first;');
      pending.set(url.pathname, res);
    });
    const service = (flushInterval: string) => ({
      loadBalancer: { servers: [{ url: upstream.url }], responseForwarding: { flushInterval } },
    });
    proxy = await startTestProxy({
      dynamic: {
        http: {
          routers: {
            held: { rule: 'PathPrefix(`/held`)', service: 'held' },
            immediate: { rule: 'PathPrefix(`/immediate`)', service: 'immediate' },
          },
          services: { held: service('1h'), immediate: service('-1ms') },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  /** A GET whose received text can be read at any time, and which resolves when it ends. */
  function open(path: string) {
    let received = '';
    let arrivals = 0;
    const ended = new Promise<string>((resolve, reject) => {
      get(`${proxy.url()}${path}`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          received += chunk;
          arrivals++;
        });
        res.on('end', () => resolve(received));
      }).on('error', reject);
    });
    return { text: () => received, arrivals: () => arrivals, ended };
  }

  async function until(condition: () => boolean): Promise<void> {
    while (!condition()) await new Promise((r) => setTimeout(r, 5));
  }

  /** Waits until the upstream has sent the head and first chunk for `path`. */
  async function upstreamFor(path: string): Promise<ServerResponse> {
    await until(() => pending.has(path));
    return pending.get(path) as ServerResponse;
  }

  it('holds the later chunks of a known-length response for the interval, and sends all at the end', async () => {
    const body = 'first;second;third;';
    const client = open(`/held/a?length=${body.length}`);
    const res = await upstreamFor('/held/a');
    await until(() => client.text() === 'first;'); // the first chunk leaves with the head
    res.write('second;');
    // The upstream's own write is on the wire now; give the proxy time to relay it if it would.
    await new Promise((r) => setTimeout(r, 200));
    expect(client.text()).toBe('first;');
    res.end('third;');
    expect(await client.ended).toBe(body);
  });

  it('sends held chunks at once when enough bytes wait, without waiting for the interval', async () => {
    const piece = 'x'.repeat(1024);
    const client = open(`/held/b?length=${6 + 40 * piece.length}`);
    const res = await upstreamFor('/held/b');
    await until(() => client.text() === 'first;');
    for (let i = 0; i < 39; i++) res.write(piece);
    // 39 KiB are waiting: more than the 16 KiB that make a flush, with a 1-hour interval.
    await until(() => client.text().length >= 6 + 16 * 1024);
    res.end(piece);
    expect((await client.ended).length).toBe(6 + 40 * piece.length);
  });

  it('relays every chunk of a stream at once: no length, or server-sent events', async () => {
    for (const [path, query] of [
      ['/held/c', ''],
      ['/held/d', `?type=text/event-stream&length=${'first;second;'.length}`],
    ] as const) {
      const client = open(`${path}${query}`);
      const res = await upstreamFor(path);
      await until(() => client.text() === 'first;');
      res.write('second;');
      await until(() => client.text() === 'first;second;');
      res.end();
      expect(await client.ended).toBe('first;second;');
    }
  });

  it('relays every chunk at once with a negative interval', async () => {
    const client = open(`/immediate/a?length=${'first;second;'.length}`);
    const res = await upstreamFor('/immediate/a');
    await until(() => client.text() === 'first;');
    res.write('second;');
    await until(() => client.text() === 'first;second;');
    res.end();
    expect(await client.ended).toBe('first;second;');
  });
});
