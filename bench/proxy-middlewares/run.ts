/**
 * Middleware chain cost: the same affineur process serves two routers to the same upstream,
 * one plain and one through `headers` + `stripPrefix` + `rateLimit` (a limit never reached), and
 * wrk measures both in interleaved rounds. Prints req/s, p99 and the chain's cost in throughput.
 * Goal: the chain costs at most 15%. Every middleware does all its parsing when the routing is
 * built, so what is measured is the per-request work only. The proxy runs pinned to a core of its
 * own (see cpu-pinning.ts), and the CPU time per request of each router is reported too. Run:
 * `npx tsx bench/proxy-middlewares/run.ts [--duration=3] [--rounds=3] [--connections=50] [--no-pin]
 * [--chain=headers,stripPrefix,rateLimit]`.
 * Needs wrk (Debian `wrk`).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { spawnAffineur } from '../support/affineur-process.js';
import { freePort, median, waitForOk, wrk as wrkFor } from '../support/bench-kit.js';
import { choosePinning, processTreeCpuMs } from '../support/cpu-pinning.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]),
);
const duration = Number(args.duration ?? 3);
const rounds = Number(args.rounds ?? 3);
const connections = Number(args.connections ?? 50);
const pinning = choosePinning(!('no-pin' in args));
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'affineur-bench-mw-'));
const children: ChildProcess[] = [];
const wrk = (url: string, seconds = duration) => wrkFor(url, seconds, connections);

process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

async function main() {
  const upstreamPort = await freePort();
  const upstreamChild = fork(join(root, 'bench/proxy/peers/upstream.mjs'), [String(upstreamPort)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(upstreamChild);
  await new Promise((resolve) => upstreamChild.once('message', resolve));

  const middlewares: Record<string, unknown> = {
    headers: {
      headers: {
        customRequestHeaders: { 'X-Bench': 'chain' },
        customResponseHeaders: { 'X-Served-By': 'affineur' },
      },
    },
    stripPrefix: { stripPrefix: { prefixes: ['/chain'] } },
    // Far above what one machine can send: every request takes a token, none waits.
    rateLimit: { rateLimit: { average: 10_000_000, burst: 10_000_000 } },
  };
  // --chain=headers,rateLimit measures a part of the chain, to see what each middleware costs.
  const chain = args.chain ? args.chain.split(',') : Object.keys(middlewares);
  for (const name of chain)
    if (!(name in middlewares)) throw new Error(`--chain: unknown middleware ${name}`);
  const dir = mkdtempSync(join(work, 'dyn-'));
  writeFileSync(
    join(dir, 'routing.yml'),
    stringify({
      http: {
        routers: {
          plain: { rule: 'PathPrefix(`/plain`)', service: 'app' },
          chain: { rule: 'PathPrefix(`/chain`)', service: 'app', middlewares: chain },
        },
        middlewares,
        services: { app: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${upstreamPort}` }] } } },
      },
    }),
  );
  const port = await freePort();
  const proxy = spawnAffineur(pinning, port, dir);
  children.push(proxy);
  const targets = { plain: `http://127.0.0.1:${port}/plain`, chain: `http://127.0.0.1:${port}/chain/x` };
  await waitForOk(targets.plain);
  await waitForOk(targets.chain);
  // Measure the chain only if it is really in the path: a router that lost its middlewares
  // (a typo in this file, say) would make the ratio meaningless.
  const probe = await fetch(targets.chain);
  await probe.arrayBuffer();
  if (chain.includes('headers') && probe.headers.get('x-served-by') !== 'affineur') {
    throw new Error('the chain router answered without the headers middleware; check the routing');
  }

  console.log(`chain: ${chain.join(' + ')}`);
  console.log(`wrk -t1 -c${connections} -d${duration}s, ${rounds} interleaved rounds, median shown`);
  console.log(`${pinning.description}\n`);
  for (const url of Object.values(targets)) wrk(url, 1); // warm-up (JIT, pools)
  const results: Record<string, (ReturnType<typeof wrk> & { cpuUs: number })[]> = { plain: [], chain: [] };
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always gets the warmer (or the noisier) slot.
    const order = round % 2 === 0 ? (['plain', 'chain'] as const) : (['chain', 'plain'] as const);
    for (const name of order) {
      const before = processTreeCpuMs(proxy.pid as number);
      const run = wrk(targets[name]);
      const cpuUs = ((processTreeCpuMs(proxy.pid as number) - before) * 1000) / Math.max(run.requests, 1);
      results[name]?.push({ ...run, cpuUs });
    }
  }
  const rps = (name: string) => median((results[name] ?? []).map((r) => r.rps));
  const p99 = (name: string) => median((results[name] ?? []).map((r) => r.p99ms));
  const cpu = (name: string) => median((results[name] ?? []).map((r) => r.cpuUs));
  const errors = (name: string) => (results[name] ?? []).reduce((s, r) => s + r.errors, 0);
  console.log('| router | req/s | p99 | CPU per request | errors |\n|---|---:|---:|---:|---:|');
  for (const name of ['plain', 'chain']) {
    console.log(
      `| ${name} | ${rps(name).toFixed(0)} | ${p99(name).toFixed(2)} ms | ${cpu(name).toFixed(1)} µs | ${errors(name)} |`,
    );
  }
  const ratio = rps('chain') / rps('plain');
  const cost = (1 - ratio) * 100;
  console.log(
    `\nchain/plain throughput ratio: ${ratio.toFixed(3)} (cost ${cost.toFixed(1)}%; goal: at most 15%); CPU per request ${(cpu('chain') / cpu('plain')).toFixed(3)}x`,
  );
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
