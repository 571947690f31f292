import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readPluginOptions } from '../../../../proxy/plugin/plugin-options.js';

const where = { pluginName: 'registry', keyPath: 'providers.plugin.registry', file: '/etc/affineur.yml' };

describe('plugin options', () => {
  it('merges the options over createConfig() defaults, deeply', () => {
    const plugin = { createConfig: () => ({ domain: 'example.com', limits: { burst: 5, rate: 1 } }) };
    expect(readPluginOptions(plugin, { limits: { rate: 10 } }, where)).toEqual({
      domain: 'example.com',
      limits: { burst: 5, rate: 10 },
    });
    expect(readPluginOptions(plugin, null, where)).toEqual(plugin.createConfig());
  });

  it('returns what configSchema gives, defaults and transforms included', () => {
    const plugin = {
      configSchema: z.strictObject({ domain: z.string(), port: z.coerce.number().default(8080) }),
    };
    expect(readPluginOptions(plugin, { domain: 'apps.test', port: '9000' }, where)).toEqual({
      domain: 'apps.test',
      port: 9000,
    });
  });

  it('refuses what configSchema refuses, naming the file, the key path and each wrong option', () => {
    const plugin = { configSchema: z.strictObject({ domain: z.string(), port: z.number() }) };
    let error: (Error & { code?: string; file?: string; keyPath?: string }) | undefined;
    try {
      readPluginOptions(plugin, { domain: 7, port: 80 }, where);
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error?.code).toBe('AFF_ERR_CONFIG_INVALID');
    expect(error?.file).toBe('/etc/affineur.yml');
    expect(error?.keyPath).toBe('providers.plugin.registry');
    expect(error?.message).toMatch(/invalid options for plugin "registry": domain: .*expected string/);
  });
});
