/**
 * Proxy benchmark: one upstream, then affineur, http-proxy, @fastify/http-proxy and nginx in
 * front of it, measured with wrk in interleaved rounds within one run (so a noisy neighbour
 * hurts every peer alike). Also 10,000 routers against 1, and errors during 50 reloads under
 * load. Prints req/s, p99, CPU time per request and ratios. Each contender runs pinned to a core
 * of its own (see cpu-pinning.ts). Run: `npx tsx bench/proxy/run.ts [--duration=3] [--rounds=2]
 * [--connections=50] [--no-pin]`. Needs wrk and nginx (Debian `wrk`, `nginx-light`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnAffineur } from '../support/affineur-process.js';
import {
  freePort,
  median,
  spawnWrk as spawnWrkFor,
  type WrkResult,
  waitForOk,
  wrk as wrkFor,
} from '../support/bench-kit.js';
import { choosePinning, onContenderCores, processTreeCpuMs } from '../support/cpu-pinning.js';
import { writeNginxConfig } from '../support/nginx-config.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]),
);
const duration = Number(args.duration ?? 3);
const rounds = Number(args.rounds ?? 2);
const connections = Number(args.connections ?? 50);
const pinning = choosePinning(!('no-pin' in args));
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'affineur-bench-'));
const children: ChildProcess[] = [];
const wrk = (url: string, seconds = duration): WrkResult => wrkFor(url, seconds, connections);

/** A server under measurement: where to send requests, and whose CPU time to count. */
interface Target {
  url: string;
  pid: number;
}

interface Measurement extends WrkResult {
  /** CPU time (all threads and child processes) the target spent per request, in µs. */
  cpuUsPerRequest: number;
}

function measure(target: Target, seconds = duration): Measurement {
  const before = processTreeCpuMs(target.pid);
  const result = wrk(target.url, seconds);
  const cpuMs = processTreeCpuMs(target.pid) - before;
  return { ...result, cpuUsPerRequest: (cpuMs * 1000) / Math.max(result.requests, 1) };
}
const spawnWrk = (url: string, seconds: number) => spawnWrkFor(url, seconds, connections);

process.on('exit', () => {
  // SIGTERM, not SIGKILL: nginx's master must live long enough to stop its worker.
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

/** Starts a Node peer script; a contender runs on the contender cores, the upstream does not. */
function startPeer(script: string, contender: boolean, ...argv: string[]): Promise<number> {
  const [command, commandArgs] = contender
    ? onContenderCores(pinning, process.execPath, [join(root, 'bench/proxy/peers', script), ...argv])
    : [process.execPath, [join(root, 'bench/proxy/peers', script), ...argv]];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child.pid as number));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function routing(upstream: string, routers: number, generation = 0): string {
  const lines = ['http:', '  routers:'];
  for (let i = 0; i < routers - 1; i++)
    lines.push(`    r${i}:`, `      rule: Host(\`h${i}.example\`)`, '      service: app');
  lines.push(
    '    main:',
    `      rule: PathPrefix(\`/\`) && !Header(\`X-Gen\`, \`${generation}\`)`,
    '      service: app',
  );
  lines.push(
    '  services:',
    '    app:',
    '      loadBalancer:',
    '        servers:',
    `          - url: ${upstream}`,
  );
  return `${lines.join('\n')}\n`;
}

async function startAffineur(upstream: string, routers: number): Promise<Target & { dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'dyn-'));
  writeFileSync(join(dir, 'routing.yml'), routing(upstream, routers));
  const child = spawnAffineur(pinning, port, dir);
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return { url, pid: child.pid as number, dir };
}

async function startNginx(upstreamPort: number): Promise<Target> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'nginx-'));
  const config = writeNginxConfig(dir, upstreamPort, [`listen 127.0.0.1:${port};`]);
  const child = spawn(...onContenderCores(pinning, 'nginx', ['-c', config, '-p', dir]), {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return { url, pid: child.pid as number };
}

async function main() {
  const upstreamPort = await freePort();
  const upstreamPid = await startPeer('upstream.mjs', false, String(upstreamPort));
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const [httpProxyPort, fastifyPort] = [await freePort(), await freePort()];
  const httpProxyPid = await startPeer('http-proxy.mjs', true, String(httpProxyPort), upstream);
  const fastifyPid = await startPeer('fastify-proxy.mjs', true, String(fastifyPort), upstream);
  const affineur = await startAffineur(upstream, 1);
  const targets: Record<string, Target> = {
    'upstream (direct)': { url: `${upstream}/`, pid: upstreamPid },
    affineur,
    'http-proxy': { url: `http://127.0.0.1:${httpProxyPort}/`, pid: httpProxyPid },
    '@fastify/http-proxy': { url: `http://127.0.0.1:${fastifyPort}/`, pid: fastifyPid },
    nginx: await startNginx(upstreamPort),
  };
  console.log(`wrk -t1 -c${connections} -d${duration}s, ${rounds} interleaved rounds, median shown`);
  console.log(`${pinning.description}\n`);
  const results: Record<string, Measurement[]> = {};
  for (const target of Object.values(targets)) wrk(target.url, 1); // warm-up (JIT, pools)
  for (let round = 0; round < rounds; round++) {
    for (const [name, target] of Object.entries(targets)) {
      const runs = results[name] ?? [];
      runs.push(measure(target));
      results[name] = runs;
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [
      name,
      {
        rps: median(runs.map((r) => r.rps)),
        p99ms: median(runs.map((r) => r.p99ms)),
        cpuUs: median(runs.map((r) => r.cpuUsPerRequest)),
        errors: runs.reduce((s, r) => s + r.errors, 0),
      },
    ]),
  );
  console.log('| target | req/s | p99 | CPU per request | errors |\n|---|---:|---:|---:|---:|');
  for (const [name, s] of Object.entries(summary)) {
    console.log(
      `| ${name} | ${s.rps.toFixed(0)} | ${s.p99ms.toFixed(2)} ms | ${s.cpuUs.toFixed(1)} µs | ${s.errors} |`,
    );
  }
  const ours = summary.affineur as { rps: number; p99ms: number; cpuUs: number };
  console.log('\nRatios (affineur / peer): req/s, p99, CPU per request');
  for (const peer of ['http-proxy', '@fastify/http-proxy', 'nginx']) {
    const p = summary[peer] as { rps: number; p99ms: number; cpuUs: number };
    console.log(
      `  vs ${peer}: ${(ours.rps / p.rps).toFixed(2)}x req/s, p99 ${(ours.p99ms / p.p99ms).toFixed(2)}x, CPU ${(ours.cpuUs / p.cpuUs).toFixed(2)}x`,
    );
  }

  // 10,000 routers against 1: the request matches the last router tried (the catch-all).
  const many = await startAffineur(upstream, 10_000);
  const one: Measurement[] = [];
  const tenK: Measurement[] = [];
  // Both warm (JIT, connection pools) before measuring, then measured alternately.
  wrk(many.url, 2);
  wrk(affineur.url, 1);
  for (let round = 0; round < rounds; round++) {
    one.push(measure(affineur));
    tenK.push(measure(many));
  }
  const oneRps = median(one.map((r) => r.rps));
  const tenKRps = median(tenK.map((r) => r.rps));
  const oneCpu = median(one.map((r) => r.cpuUsPerRequest));
  const tenKCpu = median(tenK.map((r) => r.cpuUsPerRequest));
  console.log(
    `\n10,000 routers: ${tenKRps.toFixed(0)} req/s (${tenKCpu.toFixed(1)} µs CPU per request) vs 1 router: ${oneRps.toFixed(0)} req/s (${oneCpu.toFixed(1)} µs) -> cost ${((1 - tenKRps / oneRps) * 100).toFixed(1)}% of the rate`,
  );

  // 50 reloads under load: a new generation of the routing file every 100 ms while wrk runs.
  const reloadSeconds = 7;
  const loadAsync = spawnWrk(affineur.url, reloadSeconds);
  await new Promise((r) => setTimeout(r, 500));
  for (let generation = 1; generation <= 50; generation++) {
    const temp = join(affineur.dir, '.routing.tmp');
    writeFileSync(temp, routing(upstream, 1, generation));
    renameSync(temp, join(affineur.dir, 'routing.yml'));
    await new Promise((r) => setTimeout(r, 100));
  }
  const reloadRun = await loadAsync;
  console.log(`50 reloads under load: ${reloadRun.requests} requests, ${reloadRun.errors} failed`);
  process.exit(0);
}

await main();
