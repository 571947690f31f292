import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staticConfigSchema } from '../../../proxy/config/static-schema.js';
import { supportedMiddlewareTypes } from '../../../proxy/middleware/middleware.js';
import { FileProvider } from '../../../proxy/provider/file-provider.js';
import { compileRule } from '../../../proxy/rules/compile-rule.js';
import { buildRuntimeConfig } from '../../../proxy/runtime/runtime-config.js';
import { readProviderConfig } from '../../../proxy/watcher/read-provider-config.js';
import { loadStaticConfig } from '../../../src/config/static-config.js';
import { echo, nodeGet, startTestProxy, startUpstream } from './support/harness.js';

const root = new URL('../../../', import.meta.url).pathname;

describe('examples/proxy', () => {
  it('is a valid install config whose routing config enables every object', async () => {
    const { config } = await loadStaticConfig({
      schema: staticConfigSchema,
      args: [`--configFile=${root}examples/proxy/affineur.yml`],
      env: {},
    });
    const directory = `${root}${config.providers.file?.directory}`;
    const documents = await new FileProvider({ directory, watch: false }).read();
    const runtime = buildRuntimeConfig(readProviderConfig({ provider: 'file', documents }), {
      entryPoints: Object.entries(config.entryPoints).map(([name, ep]) => ({
        name,
        asDefault: ep.asDefault,
      })),
      supportedMiddlewares: supportedMiddlewareTypes,
      internalServices: new Set(),
      compileRule,
    });
    const objects = [
      ...runtime.routers.values(),
      ...runtime.services.values(),
      ...runtime.middlewares.values(),
    ];
    expect(objects.flatMap((o) => o.errors.map((e) => e.message))).toEqual([]);
    expect([...runtime.routers.values()].map((r) => r.entryPoints)).toEqual([['web'], ['web'], ['web']]);
  });

  it('builds in the real proxy, every middleware enabled; /api goes through its chain', async () => {
    const upstream = await startUpstream(echo);
    const proxy = await startTestProxy();
    try {
      const dynamic = `${root}examples/proxy/dynamic`;
      const applied = new Promise<NonNullable<ReturnType<typeof proxy.proxy.runtime>>>((resolve) =>
        proxy.proxy.onApplied((runtime) => {
          if (runtime.routers.has('api@file') && runtime.services.has('canary@file')) resolve(runtime);
        }),
      );
      for (const file of readdirSync(dynamic)) {
        const text = readFileSync(join(dynamic, file), 'utf8').replace(
          /http:\/\/127\.0\.0\.1:900[12]/g,
          upstream.url,
        );
        writeFileSync(join(proxy.dir, `.${file}`), text);
        renameSync(join(proxy.dir, `.${file}`), join(proxy.dir, file));
      }
      const runtime = await applied;
      const objects = [...runtime.routers.values(), ...runtime.middlewares.values()];
      expect(objects.flatMap((o) => o.errors.map((e) => e.message))).toEqual([]);
      expect([...runtime.middlewares.values()].map((m) => m.status)).toEqual([
        'enabled',
        'enabled',
        'enabled',
      ]);
      const answer = await nodeGet(`${proxy.url()}/api/anything`);
      expect(answer.headers['x-frame-options']).toBe('DENY');
      const seen = JSON.parse(answer.body) as { url: string; headers: Record<string, string> };
      expect(seen.url).toBe('/anything');
      expect(seen.headers['x-api-gateway']).toBe('affineur');
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
