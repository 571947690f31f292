/**
 * How long a change served by an HTTP-provider endpoint takes to route: `affineur proxy` (its own
 * process, Traefik's flags) polls a local endpoint; the script changes the endpoint's config (a
 * new router per change), then asks the proxy every 2 ms until the new route answers 200. The
 * median over the changes is compared with the goal: pollInterval + providersThrottleDuration +
 * 100 ms (a change may land just after a poll, and just after the previous apply).
 *
 *   npx tsx bench/providers/http-provider-latency.ts [--changes=20] [--pollInterval=1s] [--throttle=2s]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseDuration } from '../../src/config/duration.js';
import { freePort, waitForOk } from '../support/bench-kit.js';

const args = new Map(
  process.argv.slice(2).map((arg) => {
    const [key, value = ''] = arg.replace(/^--/, '').split('=');
    return [key as string, value];
  }),
);
const changes = Number(args.get('changes') ?? 20);
const pollInterval = args.get('pollInterval') ?? '1s';
const throttle = args.get('throttle') ?? '2s';
const pollMs = parseDuration(pollInterval) ?? Number.NaN;
const throttleMs = parseDuration(throttle) ?? Number.NaN;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The upstream every generated router points at.
const upstream = createServer((_req, res) => res.end('ok'));
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;

// The endpoint: the current generation's routers, one per change so far.
let generation = 0;
const config = () => ({
  http: {
    routers: Object.fromEntries(
      Array.from({ length: generation + 1 }, (_, g) => [
        `gen${g}`,
        { rule: `Path(\`/gen/${g}\`)`, service: 'app' },
      ]),
    ),
    services: { app: { loadBalancer: { servers: [{ url: upstreamUrl }] } } },
  },
});
const endpoint = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(config()));
});
await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
const endpointUrl = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/dynamic`;

const port = await freePort();
const root = new URL('../../', import.meta.url).pathname;
const proxy = spawn(
  process.execPath,
  [
    join(root, 'bin/affineur.js'),
    'proxy',
    `--entryPoints.web.address=127.0.0.1:${port}`,
    `--providers.http.endpoint=${endpointUrl}`,
    `--providers.http.pollInterval=${pollInterval}`,
    `--providers.providersThrottleDuration=${throttle}`,
    '--log.level=ERROR',
  ],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);

try {
  await waitForOk(`http://127.0.0.1:${port}/gen/0`);
  const latencies: number[] = [];
  for (let i = 0; i < changes; i++) {
    // Changes land at any point of the poll cycle, as a deploy would.
    await sleep(Math.random() * pollMs);
    generation++;
    const url = `http://127.0.0.1:${port}/gen/${generation}`;
    const start = performance.now();
    for (;;) {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.status === 200) break;
      await sleep(2);
    }
    latencies.push(performance.now() - start);
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] as number;
  const median = (at(0.5 - 0.5 / latencies.length) + at(0.5)) / 2;
  const goal = pollMs + throttleMs + 100;
  console.log(
    `HTTP provider, pollInterval ${pollInterval}, providersThrottleDuration ${throttle}, ${changes} changes`,
  );
  console.log(
    `change → first routed request: median ${median.toFixed(0)} ms, p90 ${at(0.9).toFixed(0)} ms, min ${at(0).toFixed(0)} ms, max ${at(1).toFixed(0)} ms`,
  );
  console.log(
    `goal: median under ${goal} ms (pollInterval + throttle + 100 ms): ${median < goal ? 'met' : 'NOT met'}`,
  );
} finally {
  proxy.kill('SIGTERM');
  endpoint.close();
  upstream.close();
}
