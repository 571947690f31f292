/**
 * Dynamic providers benchmark (see bench/README.md, "Dynamic providers").
 *
 * 1. Latency: from a container start (Docker Engine event) or a key write (etcd, Redis) to the
 *    first request the new router answers, median of 20, with Traefik's default throttle (2 s)
 *    in force. Each change comes after the throttle window of the previous one, as changes on a
 *    platform do; a change inside the window waits for it, by design.
 * 2. Scale: 1,000 routers from 1,000 Redis keys sets (affineur started from the command line
 *    with --providers.redis) and from 1,000 containers' worth of Docker labels, against 1 router
 *    each, with wrk, in interleaved rounds. The request matches the last router.
 *
 *   npx tsx bench/providers-dynamic/run.ts [--samples=20] [--duration=5] [--rounds=3] [--no-pin] [--scale-only]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Docker from 'dockerode';
import { Etcd3 } from 'etcd3';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { request } from 'undici';
import { staticConfigSchema } from '../../proxy/config/static-schema.js';
import { startProxy } from '../../proxy/proxy-app.js';
import { ensureBusyboxImage } from '../../test/support/busybox-image.js';
import { privateEtcd, privateRedis } from '../../test/support/kv-servers.js';
import { dockerEngine } from '../../test/support/services.js';
import { freePort, median, spawnWrk, waitForOk } from '../support/bench-kit.js';
import { choosePinning, onContenderCores, processTreeCpuMs } from '../support/cpu-pinning.js';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const samples = arg('samples', 20);
const duration = arg('duration', 5);
const rounds = arg('rounds', 3);
const throttleMs = 2000;
const root = new URL('../../', import.meta.url).pathname;
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

const upstream = createServer((_req, res) => res.end('hello, world\n'));
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamPort = (upstream.address() as AddressInfo).port;

/** Polls until the Host answers something other than 404; returns the time it took. */
async function firstRouted(proxyPort: number, host: string, since: bigint): Promise<number> {
  for (;;) {
    // undici's request, not fetch: fetch drops a Host header.
    const response = await request(`http://127.0.0.1:${proxyPort}/`, { headers: { host } });
    await response.body.arrayBuffer();
    if (response.statusCode !== 404) return Number(process.hrtime.bigint() - since) / 1e6;
  }
}

async function inProcessProxy(providers: Record<string, unknown>) {
  const config = staticConfigSchema.parse({
    entryPoints: { web: { address: '127.0.0.1:0' } },
    providers: { providersThrottleDuration: `${throttleMs}ms`, ...providers },
  });
  const proxy = await startProxy(config, { logger: pino({ level: 'fatal' }) });
  return { proxy, port: proxy.addresses.get('web')?.port as number };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (values: number[]) =>
  `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)}, n=${values.length})`;

// 1a. Docker: container start → first routed request.
async function dockerLatency(): Promise<number[]> {
  const endpoint = await dockerEngine();
  const docker = new Docker({ socketPath: endpoint.replace(/^unix:\/\//, '') });
  await ensureBusyboxImage(docker);
  const run = `bench${process.pid}`;
  const { proxy, port } = await inProcessProxy({
    docker: { endpoint, exposedByDefault: false, constraints: `Label(\`affineur.bench\`, \`${run}\`)` },
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const appPort = await freePort();
      const host = `c${i}.bench`;
      const container = await docker.createContainer({
        name: `${run}-${i}`,
        Image: 'affineur-test/busybox:1',
        Cmd: ['/bin/busybox', 'httpd', '-f', '-p', `127.0.0.1:${appPort}`, '-h', '/www'],
        Labels: {
          'affineur.bench': run,
          'traefik.enable': 'true',
          [`traefik.http.routers.c${i}.rule`]: `Host(\`${host}\`)`,
          [`traefik.http.services.c${i}.loadbalancer.server.port`]: String(appPort),
        },
        HostConfig: { NetworkMode: 'host' },
      });
      await pause(throttleMs + 200);
      const since = process.hrtime.bigint();
      await container.start();
      times.push(await firstRouted(port, host, since));
      await container.remove({ force: true });
      await pause(throttleMs + 200);
    }
  } finally {
    await proxy.stop();
  }
  return times;
}

// 1b/1c. KV: key write with the real client → first routed request.
async function kvLatency(kind: 'etcd' | 'redis'): Promise<number[]> {
  const server = kind === 'etcd' ? await privateEtcd() : await privateRedis();
  const etcd = kind === 'etcd' ? new Etcd3({ hosts: `http://${server.address}` }) : undefined;
  const redis = kind === 'redis' ? new Redis(server.port, '127.0.0.1') : undefined;
  const put = async (key: string, value: string) => {
    if (etcd) await etcd.put(key).value(value);
    else await redis?.set(key, value);
  };
  const { proxy, port } = await inProcessProxy({
    [kind]: { endpoints: [server.address], rootKey: 'traefik' },
  });
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const host = `k${i}.bench`;
      await put(`traefik/http/services/k${i}/loadbalancer/servers/0/url`, `http://127.0.0.1:${upstreamPort}`);
      await put(`traefik/http/routers/k${i}/service`, `k${i}`);
      // Two writes: the first applies at once, the second at the end of the throttle window;
      // the measured write comes after the window that follows.
      await pause(2 * throttleMs + 200);
      // The rule is the key that makes the router whole: the time runs from its write.
      const since = process.hrtime.bigint();
      await put(`traefik/http/routers/k${i}/rule`, `Host(\`${host}\`)`);
      times.push(await firstRouted(port, host, since));
    }
  } finally {
    await proxy.stop();
    etcd?.close();
    redis?.disconnect();
    await server.close();
  }
  return times;
}

// 2. Scale: 1,000 routers against 1.
const pinning = choosePinning(!process.argv.includes('--no-pin'));

async function redisScaleTarget(routers: number) {
  const server = await privateRedis();
  const redis = new Redis(server.port, '127.0.0.1');
  const pipeline = redis.pipeline();
  for (let i = 0; i < routers; i++) {
    pipeline.set(
      `traefik/http/services/s${i}/loadbalancer/servers/0/url`,
      `http://127.0.0.1:${upstreamPort}`,
    );
    pipeline.set(`traefik/http/routers/r${i}/service`, `s${i}`);
    pipeline.set(
      `traefik/http/routers/r${i}/rule`,
      i === routers - 1 ? 'PathPrefix(`/`)' : `Host(\`r${i}.test\`)`,
    );
  }
  await pipeline.exec();
  redis.disconnect();
  const port = await freePort();
  const child = spawn(
    ...onContenderCores(pinning, process.execPath, [
      join(root, 'bin/affineur.js'),
      'proxy',
      `--entryPoints.web.address=127.0.0.1:${port}`,
      `--providers.redis.endpoints=${server.address}`,
      '--providers.providersThrottleDuration=0',
      '--log.level=ERROR',
    ]),
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return { url, pid: child.pid as number, close: () => server.close() };
}

async function labelScaleTarget(containers: number) {
  const port = await freePort();
  const child = spawn(
    ...onContenderCores(pinning, process.execPath, [
      '--import',
      'tsx',
      join(root, 'bench/providers-dynamic/label-sets-proxy.ts'),
      String(port),
      String(upstreamPort),
      String(containers),
    ]),
    { stdio: ['ignore', 'ignore', 'inherit'], cwd: root },
  );
  children.push(child);
  const url = `http://127.0.0.1:${port}/`;
  await waitForOk(url);
  return { url, pid: child.pid as number, close: async () => {} };
}

async function compare(
  what: string,
  start: (n: number) => Promise<{ url: string; pid: number; close(): Promise<void> }>,
) {
  const one = await start(1);
  const many = await start(1000);
  const rps = { one: [] as number[], many: [] as number[] };
  const cpu = { one: [] as number[], many: [] as number[] };
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    // The order alternates, so a load that comes and goes on a shared machine hits both alike.
    const order = [
      ['one', one],
      ['many', many],
    ] as const;
    for (const [key, target] of round % 2 === 0 ? order : [...order].reverse()) {
      const before = processTreeCpuMs(target.pid);
      // In the background: the upstream lives in this process and must keep answering.
      const result = await spawnWrk(target.url, duration, 50);
      cpu[key].push(((processTreeCpuMs(target.pid) - before) * 1000) / result.requests);
      rps[key].push(result.rps);
      errors += result.errors;
    }
  }
  for (const target of [one, many]) process.kill(target.pid, 'SIGTERM');
  await one.close();
  await many.close();
  const ratio = median(rps.many) / median(rps.one);
  console.log(
    `${what}: 1,000 routers ${median(rps.many).toFixed(0)} req/s (${median(cpu.many).toFixed(1)} µs CPU/req) vs 1 router ${median(rps.one).toFixed(0)} req/s (${median(cpu.one).toFixed(1)} µs) -> ${ratio.toFixed(2)}x, ${errors} errors`,
  );
}

console.log(`throttle ${throttleMs} ms; ${samples} samples; ${pinning.description}`);
if (!process.argv.includes('--scale-only')) {
  console.log(`Docker container start -> first routed request: ${fmt(await dockerLatency())}`);
  console.log(`etcd key write -> first routed request: ${fmt(await kvLatency('etcd'))}`);
  console.log(`Redis key write -> first routed request: ${fmt(await kvLatency('redis'))}`);
}
await compare('Redis KV', redisScaleTarget);
await compare('Docker labels', labelScaleTarget);
upstream.close();
process.exit(0);
