import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from '../../support/harness.js';

// The proxy spools into os.tmpdir(). Other test files and other checkouts on the machine spool
// there too, so this file gets a temporary directory of its own (TMPDIR is read on each call,
// and restored after) and counts only its own spool directories.
const ownTmp = mkdtempSync(join(tmpdir(), 'affineur-buffering-test-'));
const previousTmp = process.env.TMPDIR;
const spoolDirs = () => readdirSync(ownTmp).filter((d) => d.startsWith('affineur-buffer-')).length;

/** A spooled response is removed when its file stream closes, just after the client has it all. */
async function noSpoolDirsLeft(): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (spoolDirs() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return spoolDirs();
}

describe('buffering middleware through the real proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;
  let flaky = 0;

  beforeAll(async () => {
    process.env.TMPDIR = ownTmp;
    upstream = await startUpstream((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const url = req.url ?? '/';
        if (url.startsWith('/flaky')) {
          flaky++;
          res.writeHead(flaky % 3 === 0 ? 200 : 502, { 'x-attempt': String(flaky) });
          res.end(`attempt ${flaky}`);
          return;
        }
        if (url.startsWith('/big')) {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.write(Buffer.alloc(3000, 1));
          res.end(Buffer.alloc(3000, 2));
          return;
        }
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-te': String(req.headers['transfer-encoding']),
        });
        res.end(
          JSON.stringify({ size: body.length, length: req.headers['content-length'], last: body.at(-1) }),
        );
      });
    });
    proxy = await startTestProxy();
    await proxy.write('dynamic.yml', {
      http: {
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        middlewares: {
          limits: {
            buffering: {
              maxRequestBodyBytes: 10_000,
              memRequestBodyBytes: 1000,
              maxResponseBodyBytes: 8000,
              memResponseBodyBytes: 1000,
            },
          },
          small: { buffering: { maxResponseBodyBytes: 5000 } },
          retry: { buffering: { retryExpression: 'IsNetworkError() && Attempts() < 3' } },
          'retry-twice': { buffering: { retryExpression: 'IsNetworkError() && Attempts() < 2' } },
          broken: { buffering: { retryExpression: 'IsNetworkError( && Attempts() < 2' } },
        },
        routers: {
          limits: { rule: 'PathPrefix(`/`)', service: 'app', middlewares: ['limits'] },
          small: { rule: 'PathPrefix(`/big/small`)', service: 'app', middlewares: ['small'] },
          retry: { rule: 'PathPrefix(`/flaky/retry`)', service: 'app', middlewares: ['retry'] },
          twice: { rule: 'PathPrefix(`/flaky/twice`)', service: 'app', middlewares: ['retry-twice'] },
          broken: { rule: 'PathPrefix(`/broken`)', service: 'app', middlewares: ['broken'] },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    rmSync(ownTmp, { recursive: true, force: true });
  });

  it('sends the whole request with a Content-Length, from memory or from a spill file', async () => {
    const small = await fetch(`${proxy.url()}/echo`, { method: 'POST', body: 'x'.repeat(500) });
    expect(await small.json()).toEqual({ size: 500, length: '500', last: 120 });
    // A chunked upload above memRequestBodyBytes goes through a temporary file.
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(1000).fill(i));
        controller.close();
      },
    });
    const large = await fetch(`${proxy.url()}/echo`, {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await large.json()).toEqual({ size: 5000, length: '5000', last: 4 });
    expect(large.headers.get('x-te')).toBe('undefined');
  });

  it('refuses a request body over maxRequestBodyBytes with 413', async () => {
    const response = await fetch(`${proxy.url()}/echo`, { method: 'POST', body: 'x'.repeat(10_001) });
    expect(response.status).toBe(413);
    expect(await response.text()).toBe('Request Entity Too Large');
  });

  it('buffers the response (spilling above memResponseBodyBytes) and refuses one over the max', async () => {
    const big = await fetch(`${proxy.url()}/big`);
    expect(big.headers.get('content-length')).toBe('6000');
    const body = Buffer.from(await big.arrayBuffer());
    expect(body.length).toBe(6000);
    expect(body[0]).toBe(1);
    expect(body[5999]).toBe(2);
    const tooBig = await fetch(`${proxy.url()}/big/small`);
    expect(tooBig.status).toBe(500);
    await tooBig.text();
    expect(await noSpoolDirsLeft()).toBe(0);
  });

  it('retries while the retry expression holds, and the client sees only the last answer', async () => {
    flaky = 0;
    const third = await fetch(`${proxy.url()}/flaky/retry`);
    expect(third.status).toBe(200);
    expect(await third.text()).toBe('attempt 3');
    flaky = 0;
    const second = await fetch(`${proxy.url()}/flaky/twice`);
    expect(second.status).toBe(502);
    expect(await second.text()).toBe('attempt 2');
  });

  it('a malformed retryExpression disables the middleware with the column of the mistake', () => {
    const middleware = proxy.proxy.runtime()?.middlewares.get('broken@file');
    expect(middleware?.status).toBe('disabled');
    expect(middleware?.errors[0]?.message).toMatch(
      /buffering\.retryExpression.*expected "\(\)" after IsNetworkError at column 17/,
    );
  });
});
