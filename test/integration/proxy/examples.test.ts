import { describe, expect, it } from 'vitest';
import { staticConfigSchema } from '../../../proxy/config/static-schema.js';
import { FileProvider } from '../../../proxy/provider/file-provider.js';
import { compileRule } from '../../../proxy/rules/compile-rule.js';
import { buildRuntimeConfig } from '../../../proxy/runtime/runtime-config.js';
import { readProviderConfig } from '../../../proxy/watcher/read-provider-config.js';
import { loadStaticConfig } from '../../../src/config/static-config.js';

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
      supportedMiddlewares: new Set(),
      internalServices: new Set(),
      compileRule,
    });
    const objects = [...runtime.routers.values(), ...runtime.services.values()];
    expect(objects.flatMap((o) => o.errors.map((e) => e.message))).toEqual([]);
    expect([...runtime.routers.values()].map((r) => r.entryPoints)).toEqual([['web'], ['web']]);
  });
});
