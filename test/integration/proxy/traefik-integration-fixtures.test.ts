/**
 * Traefik's own single-file integration configurations (install and routing in one file, the
 * file provider reading the file itself) start with `affineur proxy`'s loader and route as
 * Traefik's integration tests (integration/simple_test.go) expect. Like Traefik's harness
 * (`adaptFile`), the test executes each fixture as a Go template with its values first — with
 * affineur's own template engine — and binds free ports instead of the fixed ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningProxy, startProxy } from '../../../proxy/proxy-app.js';
import { loadProxyInstallConfig } from '../../../proxy/proxy-command.js';
import { renderTemplate } from '../../../proxy/template/render-template.js';
import { AffineurErrorList } from '../../../src/errors/affineur-error.js';
import { startUpstream, type Upstream } from './support/harness.js';

const fixtures = new URL('./fixtures/traefik-integration/', import.meta.url);

interface Started {
  proxy: RunningProxy;
  url(entryPoint?: string): string;
  port(entryPoint?: string): number;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What Traefik's `adaptFile` does, plus free ports; `[api]` can be left out (see below). */
function adapt(name: string, values: Record<string, string>, file: string, withoutApi: boolean): string {
  let text = renderTemplate(
    readFileSync(new URL(name, fixtures), 'utf8'),
    { SelfFilename: file, ...values },
    { name },
  );
  text = text.replace(/address = ":\d+"/g, 'address = "127.0.0.1:0"');
  // The API and dashboard are not part of affineur yet: the only section these fixtures need removed.
  if (withoutApi) text = text.replace(/^\[api\]\n(?:[ \t]+\S.*\n)*/m, '');
  return text;
}

async function load(name: string, values: Record<string, string>, withoutApi = false) {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-traefik-fixture-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, adapt(name, values, file, withoutApi));
  return { file, loaded: loadProxyInstallConfig([`--configFile=${file}`], { env: {}, cwd: dir }) };
}

async function start(name: string, values: Record<string, string>, withoutApi = false): Promise<Started> {
  const { file, loaded } = await load(name, values, withoutApi);
  const config = (await loaded).config;
  const proxy = await startProxy(config, { logger: pino({ level: 'silent' }), configFile: file });
  cleanups.push(() => proxy.stop());
  const port = (entryPoint = 'web') => proxy.addresses.get(entryPoint)?.port ?? 0;
  return { proxy, port, url: (entryPoint = 'web') => `http://127.0.0.1:${port(entryPoint)}` };
}

/** The fixtures that carry `[api]` fail on it alone, plainly; everything else in them loads. */
async function expectOnlyApiRefused(name: string, values: Record<string, string>) {
  const { loaded } = await load(name, values);
  const error = await loaded.then(
    () => undefined,
    (e: unknown) => e,
  );
  const errors = error instanceof AffineurErrorList ? error.errors : [error];
  expect(errors.map((e) => [(e as { code?: string }).code, (e as { keyPath?: string }).keyPath])).toEqual([
    ['AFF_ERR_CONFIG_UNSUPPORTED', 'api'],
  ]);
}

async function upstream(name: string): Promise<Upstream> {
  const server = await startUpstream((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'set-cookie': [] });
      res.end(`Hostname: ${name}\nGET ${req.url}\n${JSON.stringify(req.headers)}`);
    });
  });
  cleanups.push(() => server.close());
  return server;
}

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await request(url, { headers });
  return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
}

/** One raw request on its own connection; the status and the body (by content-length). */
function raw(port: number, text: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: *(\d+)/i.exec(data.slice(0, end))?.[1] ?? 0);
      if (data.length - end - 4 < length) return;
      socket.destroy();
      resolve({ status: Number(data.split(' ')[1]), body: data.slice(end + 4) });
    });
    socket.on('error', reject);
  });
}

describe("Traefik's single-file integration fixtures", () => {
  it('reqacceptgrace.toml starts unchanged: its router serves, ping answers on the traefik entryPoint', async () => {
    const server = await upstream('server');
    const { url, proxy } = await start('reqacceptgrace.toml', { Server: server.url });
    const response = await get(`${url()}/service`);
    expect(response.status).toBe(200);
    expect(response.body).toContain('Hostname: server');
    expect((await get(`${url('traefik')}/ping`)).body).toBe('OK');
    // TestReqAcceptGraceTimeout: once told to stop, during requestAcceptGraceTimeout requests
    // are still served while ping says 503, so that a load balancer takes the instance out.
    const stopped = proxy.stop();
    expect((await get(`${url('traefik')}/ping`)).status).toBe(503);
    expect((await get(`${url()}/service`)).status).toBe(200);
    await stopped;
  });

  it('simple_max_header_size.toml starts unchanged and takes headers up to its maxHeaderBytes', async () => {
    // Like Traefik's test server, the upstream itself takes headers up to 1.25 MB.
    const server = createServer({ maxHeaderSize: 1.25 * 1024 * 1024 }, (_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const testServer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { url, port } = await start('simple_max_header_size.toml', { TestServer: testServer });
    for (const [size, status] of [
      // Traefik's test sends exactly 1.25 MiB: Go's server allows MaxHeaderBytes plus 4 KiB of
      // slack, affineur's entryPoint server does not (yet), so stay under the limit itself.
      [1.25 * 1024 * 1024 - 4096, 200],
      [500 * 1024, 200],
    ] as const) {
      const response = await get(`${url()}/`, { 'x-large-header': 'A'.repeat(size) });
      expect(response.status).toBe(status);
    }
    const tooLarge = await raw(
      port(),
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Large-Header: ${'A'.repeat(1.5 * 1024 * 1024)}\r\n\r\n`,
    );
    expect(tooLarge.status).toBe(431);
  });

  it('wrr.toml: weighted services 3:1 over 4 requests (TestWRR)', async () => {
    const [one, two] = [await upstream('whoami1'), await upstream('whoami2')];
    await expectOnlyApiRefused('wrr.toml', { Server1: one.url, Server2: two.url });
    const { url } = await start('wrr.toml', { Server1: one.url, Server2: two.url }, true);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await get(`${url()}/whoami`)).body.split('\n')[0] as string);
    expect(seen.filter((s) => s === 'Hostname: whoami1')).toHaveLength(3);
    expect(seen.filter((s) => s === 'Hostname: whoami2')).toHaveLength(1);
  });

  it('wrr_server.toml: weighted servers 3:1 over 4 requests (TestWRRServer)', async () => {
    const [one, two] = [await upstream('whoami1'), await upstream('whoami2')];
    await expectOnlyApiRefused('wrr_server.toml', { Server1: one.url, Server2: two.url });
    const { url } = await start('wrr_server.toml', { Server1: one.url, Server2: two.url }, true);
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await get(`${url()}/whoami`)).body.split('\n')[0] as string);
    expect(seen.filter((s) => s === 'Hostname: whoami1')).toHaveLength(3);
    expect(seen.filter((s) => s === 'Hostname: whoami2')).toHaveLength(1);
  });

  it('wrr_sticky.toml: the sticky cookie keeps all 4 requests on the first server (TestWRRSticky)', async () => {
    const [one, two] = [await upstream('whoami1'), await upstream('whoami2')];
    await expectOnlyApiRefused('wrr_sticky.toml', { Server1: one.url, Server2: two.url });
    const { url } = await start('wrr_sticky.toml', { Server1: one.url, Server2: two.url }, true);
    const seen: string[] = [];
    let cookie = '';
    for (let i = 0; i < 4; i++) {
      const response = await get(`${url()}/whoami`, cookie ? { cookie } : {});
      const set = response.headers['set-cookie'];
      if (set) cookie = (Array.isArray(set) ? set : [set]).map((c) => c.split(';')[0]).join('; ');
      seen.push(response.body.split('\n')[0] as string);
    }
    expect(seen).toEqual(Array(4).fill('Hostname: whoami1'));
  });

  it('mirror.toml: 10 requests, mirror1 (10%) gets 1 and mirror2 (50%) gets 5 (TestMirror)', async () => {
    const counts = { main: 0, mirror1: 0, mirror2: 0 };
    const counting = async (name: keyof typeof counts) => {
      const server = await startUpstream((req, res) => {
        counts[name]++;
        req.resume();
        req.on('end', () => res.end());
      });
      cleanups.push(() => server.close());
      return server.url;
    };
    const values = {
      MainServer: await counting('main'),
      Mirror1Server: await counting('mirror1'),
      Mirror2Server: await counting('mirror2'),
    };
    await expectOnlyApiRefused('mirror.toml', values);
    const { url } = await start('mirror.toml', values, true);
    for (let i = 0; i < 10; i++) expect((await get(`${url()}/whoami`)).status).toBe(200);
    // Mirrored copies are sent in the background: wait until the expected ones have arrived.
    await expect.poll(() => ({ ...counts })).toEqual({ main: 10, mirror1: 1, mirror2: 5 });
  });

  it('simple_deny.toml: a fragment in the request target is refused with 400 (TestDenyFragment)', async () => {
    await expectOnlyApiRefused('simple_deny.toml', {});
    const { port } = await start('simple_deny.toml', {}, true);
    const response = await raw(port(), 'GET /#/?bar=toto;boo=titi HTTP/1.1\nHost: deny.localhost\n\n');
    expect(response.status).toBe(400);
  });

  it('simple_contenttype.toml: contentType passes types through, autodetect sniffs the missing ones (TestContentTypeDisableAutoDetect)', async () => {
    const server = await startUpstream((req, res) => {
      const path = (req.url ?? '').replace(/^\/autodetect/, '');
      if (path.includes('/ct'))
        res.setHeader('content-type', path.startsWith('/css') ? 'text/css' : 'application/pdf');
      // Go's sniffer knows a PDF by its first bytes; a style sheet is plain text to it.
      res.end(path.startsWith('/css') ? '.testcss { }' : '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
    });
    cleanups.push(() => server.close());
    await expectOnlyApiRefused('simple_contenttype.toml', { Server: server.url });
    const { url } = await start('simple_contenttype.toml', { Server: server.url }, true);
    const contentType = async (path: string) => (await get(`${url()}${path}`)).headers['content-type'];
    expect(await contentType('/css/ct')).toBe('text/css');
    expect(await contentType('/pdf/ct')).toBe('application/pdf');
    expect(await contentType('/css/noct')).toBeUndefined();
    expect(await contentType('/pdf/noct')).toBeUndefined();
    expect(await contentType('/autodetect/css/ct')).toBe('text/css');
    expect(await contentType('/autodetect/pdf/ct')).toBe('application/pdf');
    expect(await contentType('/autodetect/css/noct')).toBe('text/plain; charset=utf-8');
    expect(await contentType('/autodetect/pdf/noct')).toBe('application/pdf');
  });
});
