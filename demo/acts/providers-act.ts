/**
 * Act 2: where routing comes from. A dynamic file written as a Go template renders one router
 * per API version, and an HTTP endpoint serves more routing that the proxy polls; when that
 * endpoint changes, routing follows, and when it goes down, the last good routing stays.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningProxy, startProxy } from '../../proxy/proxy-app.js';
import { loadProxyInstallConfig } from '../../proxy/proxy-command.js';
import { createLogger } from '../../src/log/logger.js';
import type { Narrator } from '../narrator.js';
import { get, nextApplied, startUpstream } from '../support/demo-http.js';

export async function providersAct(narrator: Narrator): Promise<void> {
  narrator.act('Providers: Go templates in files, routing polled from an HTTP endpoint');
  const dir = await mkdtemp(join(tmpdir(), 'affineur-demo-providers-'));
  const dynamic = join(dir, 'dynamic');
  await mkdir(dynamic);
  const upstream = await startUpstream('catalog');
  // The routing the HTTP endpoint serves; the demo edits it while the proxy runs.
  let served: object = routingFor('stock', upstream.url);
  const endpoint = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(served));
  });
  endpoint.listen(0, '127.0.0.1');
  await once(endpoint, 'listening');
  const endpointUrl = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/routing`;
  let proxy: RunningProxy | undefined;
  try {
    narrator.step('Write a dynamic file as a Go template: one `range` makes a router per API version.');
    await writeFile(
      join(dynamic, 'api.yml'),
      [
        'http:',
        '  routers:',
        '{{- range $version := list "v1" "v2" "v3" }}',
        '    api-{{ $version }}:',
        '      rule: PathPrefix(`/api/{{ $version }}`)',
        '      service: catalog',
        '{{- end }}',
        '  services:',
        '    catalog:',
        '      loadBalancer:',
        `        servers: [{ url: "${upstream.url}" }]`,
        '',
      ].join('\n'),
    );
    const installFile = join(dir, 'affineur.yml');
    await writeFile(
      installFile,
      [
        'entryPoints:',
        '  web:',
        '    address: "127.0.0.1:0"',
        'providers:',
        '  providersThrottleDuration: 50ms',
        '  file:',
        `    directory: ${JSON.stringify(dynamic)}`,
        '  http:',
        `    endpoint: ${JSON.stringify(endpointUrl)}`,
        '    pollInterval: 200ms',
        '',
      ].join('\n'),
    );
    narrator.saw(`providers: file (${dynamic}) and http (${endpointUrl}, polled every 200ms)`);

    const { config } = await loadProxyInstallConfig([`--configFile=${installFile}`], {
      env: {},
      cwd: dir,
    });
    proxy = await startProxy(config, { logger: createLogger({ level: 'silent' }) });
    const base = `http://127.0.0.1:${proxy.addresses.get('web')?.port}`;
    await untilRouted(proxy, base, '/stock/1', 'x.localhost');
    const templated = [...(proxy.runtime()?.routers.keys() ?? [])].filter((name) => name.endsWith('@file'));
    narrator.saw(`the template rendered ${templated.length} routers: ${templated.join(', ')}`);
    narrator.saw(`GET /api/v2/items → ${(await get(base, '/api/v2/items', 'x.localhost')).body}`);
    narrator.saw(
      `GET /stock/1 (from the HTTP endpoint) → ${(await get(base, '/stock/1', 'x.localhost')).body}`,
    );

    narrator.step('The endpoint now serves /orders instead of /stock: the proxy follows on its next poll.');
    served = routingFor('orders', upstream.url);
    await untilRouted(proxy, base, '/orders/7', 'x.localhost');
    narrator.saw(`GET /orders/7 → ${(await get(base, '/orders/7', 'x.localhost')).body}`);
    narrator.saw(`GET /stock/1 → ${(await get(base, '/stock/1', 'x.localhost')).status} (route gone)`);

    narrator.step('Stop the endpoint. The proxy logs the outage once and keeps the last good routing.');
    endpoint.close();
    endpoint.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, 600));
    narrator.saw(`GET /orders/7 → ${(await get(base, '/orders/7', 'x.localhost')).body}`);
  } finally {
    await proxy?.stop();
    endpoint.close();
    upstream.server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Traefik's JSON shape, as an HTTP provider endpoint would serve it. */
function routingFor(prefix: string, upstreamUrl: string): object {
  return {
    http: {
      routers: { [prefix]: { rule: `PathPrefix(\`/${prefix}\`)`, service: 'backend' } },
      services: { backend: { loadBalancer: { servers: [{ url: upstreamUrl }] } } },
    },
  };
}

/** Waits for routing swaps until `path` is routed (the HTTP provider's first poll or a change). */
async function untilRouted(proxy: RunningProxy, base: string, path: string, host: string): Promise<void> {
  for (let swaps = 0; swaps < 50; swaps++) {
    if ((await get(base, path, host)).status === 200) return;
    await nextApplied(proxy);
  }
  throw new Error(`the demo's route ${path} never appeared`);
}
