import { mkdtempSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGet, simpleRoute, startTestProxy, startUpstream, type Upstream } from './support/harness.js';

async function waitForFile(path: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {}
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`${path} never matched ${pattern}: ${text}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('ping, entryPoints and graceful shutdown', () => {
  let upstream: Upstream;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/held') {
        release = () => res.end('held');
        return;
      }
      res.end('ok');
    });
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('answers /ping with 200 OK on its entryPoint, and terminatingStatusCode while shutting down', async () => {
    const proxy = await startTestProxy({
      static: {
        entryPoints: {
          web: {
            address: '127.0.0.1:0',
            transport: { lifeCycle: { requestAcceptGraceTimeout: '1s', graceTimeOut: '5s' } },
          },
          // Like Traefik's docs advise: ping keeps answering (204 here) during the accept grace time.
          ops: { address: '127.0.0.1:0', transport: { lifeCycle: { requestAcceptGraceTimeout: '1s' } } },
        },
        ping: { entryPoint: 'ops', terminatingStatusCode: 204 },
      },
      dynamic: simpleRoute([upstream.url], {}, { entryPoints: ['web'] }),
    });
    const ping = await nodeGet(`${proxy.url('ops')}/ping`);
    expect(ping).toMatchObject({ status: 200, body: 'OK' });
    expect((await nodeGet(`${proxy.url('web')}/ping`)).body).toBe('ok');
    // A request in flight when SIGTERM comes is allowed to finish.
    const held = nodeGet(`${proxy.url()}/held`);
    while (!release) await new Promise((r) => setTimeout(r, 10));
    const stopped = proxy.close();
    expect((await nodeGet(`${proxy.url('ops')}/ping`)).status).toBe(204);
    release();
    expect(await held).toMatchObject({ status: 200, body: 'held' });
    await stopped;
  });

  it('serves ping@internal through a router with manualRouting', async () => {
    const proxy = await startTestProxy({
      static: { ping: { manualRouting: true } },
      dynamic: { http: { routers: { health: { rule: 'Path(`/healthz`)', service: 'ping@internal' } } } },
    });
    try {
      expect(await nodeGet(`${proxy.url()}/healthz`)).toMatchObject({ status: 200, body: 'OK' });
    } finally {
      await proxy.close();
    }
  });

  it('attaches routers without entryPoints to the asDefault ones only', async () => {
    const proxy = await startTestProxy({
      static: {
        entryPoints: {
          web: { address: '127.0.0.1:0', asDefault: true },
          internal: { address: '127.0.0.1:0' },
        },
      },
      dynamic: simpleRoute([upstream.url]),
    });
    try {
      expect((await nodeGet(`${proxy.url('web')}/`)).status).toBe(200);
      expect((await nodeGet(`${proxy.url('internal')}/`)).status).toBe(404);
    } finally {
      await proxy.close();
    }
  });
});

describe('access logs', () => {
  let upstream: Upstream;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/hang') {
        res.writeHead(200);
        res.write('partial');
        return;
      }
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'x-answer': 'yes' });
      res.end('body');
    });
  });
  afterAll(async () => {
    await upstream.close();
  });

  it('writes the common format with router, server URL and duration', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'affineur-log-')), 'access.log');
    const proxy = await startTestProxy({
      static: { accessLog: { filePath: file } },
      dynamic: simpleRoute([upstream.url]),
    });
    try {
      await nodeGet(`${proxy.url()}/a?b=1`, { 'user-agent': 'tester', referer: 'http://ref.example/' });
      const text = await waitForFile(file, /\n$/);
      expect(text).toMatch(
        new RegExp(
          `^127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "GET /a\\?b=1 HTTP/1\\.1" 200 4 "http://ref\\.example/" "tester" \\d+ "main@file" "${upstream.url}" \\d+ms\\n$`,
        ),
      );
    } finally {
      await proxy.close();
    }
  });

  it('writes JSON with Traefik field names, fields modes, filters and 499 for a client that left', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'affineur-log-')), 'access.json');
    const proxy = await startTestProxy({
      static: {
        accessLog: {
          filePath: file,
          format: 'json',
          filters: { statusCodes: ['400-499'] },
          fields: {
            names: { ClientUsername: 'drop', ClientAddr: 'redact' },
            headers: { names: { 'User-Agent': 'keep' } },
          },
        },
      },
      dynamic: simpleRoute([upstream.url]),
    });
    try {
      await nodeGet(`${proxy.url()}/ok`);
      await nodeGet(`${proxy.url()}/missing`, { 'user-agent': 'tester' });
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${proxy.url()}/hang`, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
        req.end();
      });
      const text = await waitForFile(file, /"DownstreamStatus":499/);
      const lines = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines.map((l) => l.DownstreamStatus)).toEqual([404, 499]);
      const [missing, gone] = lines as [Record<string, unknown>, Record<string, unknown>];
      expect(missing).toMatchObject({
        ClientAddr: 'REDACTED',
        ClientHost: '127.0.0.1',
        OriginStatus: 404,
        RequestMethod: 'GET',
        RequestPath: '/missing',
        RequestProtocol: 'HTTP/1.1',
        RouterName: 'main@file',
        ServiceName: 'app@file',
        ServiceURL: upstream.url,
        entryPointName: 'web',
        'request_User-Agent': 'tester',
      });
      expect(missing.ClientUsername).toBeUndefined();
      expect(typeof missing.Duration).toBe('number');
      expect(typeof missing.Overhead).toBe('number');
      expect(gone).toMatchObject({ OriginStatus: 200, RequestPath: '/hang' });
    } finally {
      await proxy.close();
    }
  });
});
