/**
 * What the proxy benchmarks share: free ports, waiting for a server, and running wrk and reading
 * its report (req/s, p99, requests, and errors as non-2xx/3xx answers plus socket errors).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface WrkResult {
  rps: number;
  p99ms: number;
  requests: number;
  errors: number;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitForOk(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} never answered 200`);
}

const wrkArgs = (url: string, seconds: number, connections: number) => [
  '-t1',
  `-c${connections}`,
  `-d${seconds}s`,
  '--latency',
  url,
];

/** wrk in the foreground: one measurement. */
export function wrk(url: string, seconds: number, connections: number): WrkResult {
  return parseWrk(execFileSync('wrk', wrkArgs(url, seconds, connections), { encoding: 'utf8' }));
}

/** wrk in the background, so something (reloads) can happen while it runs. */
export function spawnWrk(url: string, seconds: number, connections: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', wrkArgs(url, seconds, connections));
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => resolve(parseWrk(out)));
  });
}

export function parseWrk(out: string): WrkResult {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99ms = p99
    ? Number(p99[1]) * ({ us: 0.001, ms: 1, s: 1000 }[p99[2] as 'us' | 'ms' | 's'] ?? 1)
    : Number.NaN;
  const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return { rps, p99ms, requests, errors: non2xx + socketErrors };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
