/**
 * Act 1: the proxy. Two small upstreams, a Traefik-style configuration, routing and load
 * balancing, then live reloads under traffic: a new route appears with no request dropped, and
 * a broken file disables only what is broken while the rest keeps serving.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { staticConfigSchema } from '../../proxy/config/static-schema.js';
import { type RunningProxy, startProxy } from '../../proxy/proxy-app.js';
import { loadStaticConfig } from '../../src/config/static-config.js';
import { createLogger } from '../../src/log/logger.js';
import type { Narrator } from '../narrator.js';
import { get, nextApplied, startUpstream } from '../support/demo-http.js';

export async function proxyAct(narrator: Narrator): Promise<void> {
  narrator.act('The proxy: Traefik configuration, live reloads, no dropped request');
  const dir = await mkdtemp(join(tmpdir(), 'affineur-demo-proxy-'));
  const dynamic = join(dir, 'dynamic');
  await mkdir(dynamic);
  const [blue, green] = [await startUpstream('blue'), await startUpstream('green')];
  let proxy: RunningProxy | undefined;
  try {
    narrator.step('Start two upstream servers, "blue" and "green", and write a Traefik v3 configuration.');
    const installFile = join(dir, 'affineur.yml');
    await writeFile(
      installFile,
      [
        'entryPoints:',
        '  web:',
        '    address: "127.0.0.1:0"',
        'providers:',
        '  providersThrottleDuration: 100ms',
        '  file:',
        `    directory: ${JSON.stringify(dynamic)}`,
        '    watch: true',
        '',
      ].join('\n'),
    );
    await writeFile(
      join(dynamic, 'shop.yml'),
      [
        'http:',
        '  routers:',
        '    shop:',
        '      rule: Host(`shop.localhost`)',
        '      service: shop',
        '  services:',
        '    shop:',
        '      loadBalancer:',
        '        servers:',
        `          - url: ${blue.url}`,
        `          - url: ${green.url}`,
        '',
      ].join('\n'),
    );
    narrator.saw('router `shop`: Host(`shop.localhost`) → service `shop`, balanced over blue and green');

    narrator.step('Start `affineur proxy --configFile=affineur.yml`.');
    const { config } = await loadStaticConfig({
      schema: staticConfigSchema,
      args: [`--configFile=${installFile}`],
      env: {},
    });
    const logger = createLogger({ level: 'silent' });
    proxy = await startProxy(config, { logger });
    if (!proxy.runtime()) await nextApplied(proxy);
    const base = `http://127.0.0.1:${proxy.addresses.get('web')?.port}`;
    narrator.saw(`listening on ${base}`);

    narrator.step('Send four requests for shop.localhost: smooth weighted round robin alternates.');
    for (let i = 0; i < 4; i++) narrator.saw((await get(base, '/cart', 'shop.localhost')).body);

    narrator.step('While a client keeps sending requests, add a route to the running proxy: no restart.');
    let sent = 0;
    let failed = 0;
    let traffic = true;
    const load = (async () => {
      while (traffic) {
        const response = await get(base, '/cart', 'shop.localhost').catch(() => ({ status: 0, body: '' }));
        sent++;
        if (response.status !== 200) failed++;
      }
    })();
    const applied = nextApplied(proxy);
    await writeFile(
      join(dynamic, 'api.yml'),
      ['http:', '  routers:', '    api:', '      rule: PathPrefix(`/api`)', '      service: shop', ''].join(
        '\n',
      ),
    );
    await applied;
    narrator.saw(`GET /api → ${(await get(base, '/api/orders', 'anything.localhost')).body}`);

    narrator.step('Now save a broken file: an unclosed rule. Only that router is disabled.');
    const broken = nextApplied(proxy);
    await writeFile(
      join(dynamic, 'api.yml'),
      ['http:', '  routers:', '    api:', '      rule: PathPrefix(`/api`', '      service: shop', ''].join(
        '\n',
      ),
    );
    await broken;
    const api = proxy.runtime()?.routers.get('api@file');
    narrator.saw(`router api@file is ${api?.status}: ${api?.errors.map((e) => e.message).join('; ')}`);
    narrator.saw(`GET /api → ${(await get(base, '/api/orders', 'anything.localhost')).status} (no route)`);
    narrator.saw(`GET shop.localhost → ${(await get(base, '/cart', 'shop.localhost')).body}`);
    traffic = false;
    await load;
    narrator.saw(`${sent} requests during the reloads, ${failed} failed`);
  } finally {
    await proxy?.stop();
    blue.server.close();
    green.server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
