/**
 * Proxy benchmark: one upstream, then affineur, http-proxy, @fastify/http-proxy and nginx in
 * front of it, measured with wrk in interleaved rounds within one run (so a noisy neighbour
 * hurts every peer alike). Also 10,000 routers against 1, and errors during 50 reloads under
 * load. Prints req/s, p99 and ratios. Run: `npx tsx bench/proxy/run.ts [--duration=3] [--rounds=2]`.
 * Needs wrk and nginx (Debian `wrk`, `nginx-light`).
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  freePort,
  median,
  spawnWrk as spawnWrkFor,
  type WrkResult,
  waitForOk,
  wrk as wrkFor,
} from '../support/bench-kit.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]),
);
const duration = Number(args.duration ?? 3);
const rounds = Number(args.rounds ?? 2);
const connections = Number(args.connections ?? 50);
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'affineur-bench-'));
const children: ChildProcess[] = [];
const wrk = (url: string, seconds = duration): WrkResult => wrkFor(url, seconds, connections);
const spawnWrk = (url: string, seconds: number) => spawnWrkFor(url, seconds, connections);

process.on('exit', () => {
  // SIGTERM, not SIGKILL: nginx's master must live long enough to stop its worker.
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

function startPeer(script: string, ...argv: string[]): Promise<void> {
  const child = fork(join(root, 'bench/proxy/peers', script), argv, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve());
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

async function startAffineur(upstream: string, routers: number): Promise<{ url: string; dir: string }> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'dyn-'));
  writeFileSync(join(dir, 'routing.yml'), routing(upstream, routers));
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin/affineur.js'),
      'proxy',
      `--entryPoints.web.address=127.0.0.1:${port}`,
      `--providers.file.directory=${dir}`,
      '--providers.providersThrottleDuration=0',
      '--log.level=ERROR',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return { url, dir };
}

async function startNginx(upstreamPort: number): Promise<string> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'nginx-'));
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
daemon off;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 64; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return url;
}

async function main() {
  const upstreamPort = await freePort();
  await startPeer('upstream.mjs', String(upstreamPort));
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const [httpProxyPort, fastifyPort] = [await freePort(), await freePort()];
  await startPeer('http-proxy.mjs', String(httpProxyPort), upstream);
  await startPeer('fastify-proxy.mjs', String(fastifyPort), upstream);
  const affineur = await startAffineur(upstream, 1);
  const targets: Record<string, string> = {
    'upstream (direct)': `${upstream}/`,
    affineur: affineur.url,
    'http-proxy': `http://127.0.0.1:${httpProxyPort}/`,
    '@fastify/http-proxy': `http://127.0.0.1:${fastifyPort}/`,
    nginx: await startNginx(upstreamPort),
  };
  console.log(`wrk -t1 -c${connections} -d${duration}s, ${rounds} interleaved rounds, median shown\n`);
  const results: Record<string, WrkResult[]> = {};
  for (const url of Object.values(targets)) wrk(url, 1); // warm-up (JIT, pools)
  for (let round = 0; round < rounds; round++) {
    for (const [name, url] of Object.entries(targets)) {
      const runs = results[name] ?? [];
      runs.push(wrk(url));
      results[name] = runs;
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([name, runs]) => [
      name,
      {
        rps: median(runs.map((r) => r.rps)),
        p99ms: median(runs.map((r) => r.p99ms)),
        errors: runs.reduce((s, r) => s + r.errors, 0),
      },
    ]),
  );
  console.log('| target | req/s | p99 | errors |\n|---|---:|---:|---:|');
  for (const [name, s] of Object.entries(summary))
    console.log(`| ${name} | ${s.rps.toFixed(0)} | ${s.p99ms.toFixed(2)} ms | ${s.errors} |`);
  const ours = summary.affineur as { rps: number; p99ms: number };
  console.log('\nRatios (affineur / peer): req/s, p99');
  for (const peer of ['http-proxy', '@fastify/http-proxy', 'nginx']) {
    const p = summary[peer] as { rps: number; p99ms: number };
    console.log(
      `  vs ${peer}: ${(ours.rps / p.rps).toFixed(2)}x req/s, p99 ${(ours.p99ms / p.p99ms).toFixed(2)}x`,
    );
  }

  // 10,000 routers against 1: the request matches the last router tried (the catch-all).
  const many = await startAffineur(upstream, 10_000);
  const one: WrkResult[] = [];
  const tenK: WrkResult[] = [];
  // Both warm (JIT, connection pools) before measuring, then measured alternately.
  wrk(many.url, 2);
  wrk(affineur.url, 1);
  for (let round = 0; round < rounds; round++) {
    one.push(wrk(affineur.url));
    tenK.push(wrk(many.url));
  }
  const oneRps = median(one.map((r) => r.rps));
  const tenKRps = median(tenK.map((r) => r.rps));
  console.log(
    `\n10,000 routers: ${tenKRps.toFixed(0)} req/s vs 1 router: ${oneRps.toFixed(0)} req/s -> cost ${((1 - tenKRps / oneRps) * 100).toFixed(1)}%`,
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
