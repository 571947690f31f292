/**
 * Oversized and unsigned webhook deliveries, against the real bot server in its own process:
 * refused before the body is buffered (its peak RSS, VmHWM, barely moves while 4 × 30 MB are
 * thrown at it), and each one leaves exactly one short log line, never the payload.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const secret = `secret-${randomUUID()}`;
const marker = 'PAYLOAD-MARKER-';
let child: ChildProcess;
let port: number;
let output = '';

function peakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
  if (!kb) throw new Error('no VmHWM in /proc status');
  return Number(kb) * 1024;
}

interface Delivery {
  bytes: number;
  /** `bad`: a signature made with another secret; `none`: no signature header; `good`. */
  signature: 'good' | 'bad' | 'none';
  /** Chunked transfer encoding instead of a Content-Length. */
  chunked?: boolean;
}

/** Sends a JSON body of `bytes` in 1 MiB writes, stopping as soon as the server answers. */
function deliver({ bytes, signature, chunked = false }: Delivery): Promise<number | 'reset'> {
  const head = Buffer.from(`{"zen":"${marker}`);
  const tail = Buffer.from('"}');
  const body = Buffer.alloc(bytes, 'x');
  head.copy(body, 0);
  tail.copy(body, bytes - tail.length);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-github-event': 'ping',
    'x-github-delivery': randomUUID(),
  };
  if (signature !== 'none') {
    const key = signature === 'good' ? secret : 'not-the-secret';
    headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
  }
  if (!chunked) headers['content-length'] = String(bytes);
  return new Promise((resolve) => {
    let answered = false;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/github/webhooks', headers });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    req.on('error', () => {
      if (!answered) resolve('reset');
    });
    let offset = 0;
    const pump = () => {
      while (!answered && offset < bytes) {
        const end = Math.min(bytes, offset + 1024 * 1024);
        const ok = req.write(body.subarray(offset, end));
        offset = end;
        if (!ok) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && offset >= bytes) req.end();
    };
    pump();
  });
}

const refusals = () =>
  output
    .split('\n')
    .filter((line) => line.includes('webhook delivery refused'))
    .map((line) => ({ line, parsed: JSON.parse(line) as Record<string, unknown> }));

async function logSettles(): Promise<void> {
  // pino writes asynchronously: wait until stdout has been quiet for a moment.
  for (let last = -1; last !== output.length; ) {
    last = output.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

beforeAll(async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./webhook-server.fixture.ts', import.meta.url))],
    {
      env: {
        ...process.env,
        WEBHOOK_SECRET: secret,
        PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout?.setEncoding('utf8');
  port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bot server exited (${code})`)));
    child.stdout?.on('data', (chunk: string) => {
      output += chunk;
      const found = /\{"port":(\d+)\}/.exec(output);
      if (found) resolve(Number(found[1]));
    });
  });
}, 60_000);

afterAll(async () => {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
});

describe('the webhook front door', () => {
  it('refuses 30 MB unsigned deliveries without buffering them, one short line each', async () => {
    // Warm the path up, so the baseline already includes what one refusal costs.
    expect(await deliver({ bytes: 1024, signature: 'bad' })).toBe(401);
    await logSettles();
    const pid = child.pid!;
    const peakBefore = peakRssBytes(pid);
    const logBefore = output.length;
    const linesBefore = refusals().length;

    const size = 30 * 1024 * 1024;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await deliver({ bytes: size, signature: 'bad' }));
    statuses.push(await deliver({ bytes: size, signature: 'none' }));
    await logSettles();

    expect(statuses).toEqual([413, 413, 413, 401]);
    const grown = peakRssBytes(pid) - peakBefore;
    // One 30 MB body held in memory would raise the peak by 30 MB at least.
    expect(grown).toBeLessThan(10 * 1024 * 1024);
    const lines = refusals().slice(linesBefore);
    expect(lines).toHaveLength(4);
    for (const { line, parsed } of lines) {
      expect(line.length).toBeLessThan(400);
      expect(line).not.toContain(marker);
      expect(parsed).toMatchObject({ level: 40, msg: 'webhook delivery refused', event: 'ping' });
    }
    expect(lines.map((l) => l.parsed.status)).toEqual([413, 413, 413, 401]);
    expect(output.length - logBefore).toBeLessThan(4 * 400);
  }, 120_000);

  it('stops reading a chunked body at the 25 MB cap, and logs it once', async () => {
    const before = refusals().length;
    expect(await deliver({ bytes: 30 * 1024 * 1024, signature: 'bad', chunked: true })).toBe(413);
    await logSettles();
    const lines = refusals().slice(before);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.parsed).toMatchObject({ status: 413, bytes: 25 * 1024 * 1024 + 1 });
    expect(output).not.toContain(marker);
  }, 60_000);

  it('refuses a bad signature on a small body once, and lets a signed one through', async () => {
    const before = refusals().length;
    expect(await deliver({ bytes: 2048, signature: 'bad' })).toBe(401);
    expect(await deliver({ bytes: 2048, signature: 'good' })).toBe(200);
    await logSettles();
    expect(
      refusals()
        .slice(before)
        .map((l) => l.parsed.reason),
    ).toEqual(['signature does not match']);
    expect(output).not.toContain(marker);
  }, 60_000);
});
