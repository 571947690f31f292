import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticConfigSchema } from '../../../proxy/config/static-schema.js';
import { startProxy } from '../../../proxy/proxy-app.js';
import { proxyCommand } from '../../../proxy/proxy-command.js';
import type { CompiledRule } from '../../../proxy/rules/compile-rule.js';
import type { RuntimeConfig } from '../../../proxy/runtime/runtime-config.js';
import { expectDisabledByMiddleware } from './support/disabled-by-middleware.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from './support/harness.js';

/**
 * A provider plugin the test drives: its `provide` leaves its `emit` on a channel that the test
 * reads, so each emission is the test's choice. It can also fail on demand, in New, in provide,
 * or later from a timer of its own, and the module carries a middleware too.
 */
const controllablePlugin = `
const channels = (globalThis[Symbol.for('affineur-test-provider-channels')] ??= new Map());

export const provider = {
  createConfig: () => ({ channel: 'main', initial: null, fail: 'never' }),
  New(context, config, name) {
    if (config.fail === 'new') throw new Error(\`\${name} broke in New\`);
    return {
      provide(emit, signal) {
        if (config.fail === 'provide') return Promise.reject(new Error(\`\${name} broke while providing\`));
        const channel = { emit, name, env: context.env, breakNow: false };
        channels.set(config.channel, channel);
        if (config.initial) emit(config.initial);
        if (config.fail === 'timer') {
          // Thrown from the plugin's own timer, long after provide returned.
          const timer = setInterval(() => {
            if (!channel.breakNow) return;
            clearInterval(timer);
            throw new Error(\`\${name} broke in a timer\`);
          }, 5);
          signal.addEventListener('abort', () => clearInterval(timer));
        }
      },
    };
  },
};

// The same module's middleware: one module, both kinds.
export default {
  New(context, next, config) {
    return (req, res, ctx) => {
      res.setHeader('x-stamp', config.stamp ?? 'stamped');
      next(req, res, ctx);
    };
  },
};
`;

const middlewareOnlyPlugin = `
export function New(context, next) {
  return (req, res, ctx) => next(req, res, ctx);
}
`;

const strictOptionsPlugin = `
export const provider = {
  configSchema: {
    parse(value) {
      if (typeof value.domain !== 'string') {
        throw Object.assign(new Error('invalid'), { issues: [{ path: ['domain'], message: 'expected a string' }] });
      }
      return value;
    },
  },
  New: () => ({ provide() {} }),
};
`;

interface Channel {
  emit(configuration: unknown): void;
  name: string;
  env: Record<string, string>;
  breakNow: boolean;
}

const channels = (): Map<string, Channel> =>
  (globalThis as Record<symbol, Map<string, Channel>>)[Symbol.for('affineur-test-provider-channels')] ??
  new Map();

function channel(name: string): Channel {
  const found = channels().get(name);
  if (!found) throw new Error(`the plugin has not opened channel "${name}"`);
  return found;
}

/** Emits from the plugin's channel and resolves once the proxy has applied the result. */
function emitFrom(
  proxy: TestProxy,
  name: string,
  configuration: unknown,
): Promise<RuntimeConfig<CompiledRule>> {
  return new Promise((resolve) => {
    proxy.proxy.onApplied(resolve);
    channel(name).emit(configuration);
  });
}

function route(path: string, service: string, url?: string) {
  return {
    http: {
      routers: { [service]: { rule: `PathPrefix(\`${path}\`)`, service } },
      ...(url ? { services: { [service]: { loadBalancer: { servers: [{ url }] } } } } : {}),
    },
  };
}

const example = fileURLToPath(new URL('../../../examples/plugins/service-registry', import.meta.url));

describe('provider plugins (providers.plugin.<name>)', () => {
  let pluginDir: string;
  let modulePath: string;
  let alpha: Upstream;
  let beta: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    process.env.AFFINEUR_PROVIDER_PLUGIN_TEST = 'visible';
    pluginDir = mkdtempSync(join(tmpdir(), 'affineur-provider-plugin-'));
    modulePath = join(pluginDir, 'controllable.mjs');
    writeFileSync(modulePath, controllablePlugin);
    alpha = await startUpstream((_req, res) => res.end('alpha'));
    beta = await startUpstream((_req, res) => res.end('beta'));
    const declared = { moduleName: modulePath, settings: { envs: ['AFFINEUR_PROVIDER_PLUGIN_TEST'] } };
    proxy = await startTestProxy({
      static: {
        experimental: {
          localPlugins: {
            main: declared,
            brokennew: declared,
            brokenprovide: declared,
            brokentimer: declared,
            // Only a provider (and not used as one here).
            registryonly: { moduleName: example },
          },
        },
      },
      providers: {
        plugin: {
          main: { channel: 'main', initial: route('/alpha', 'alpha', alpha.url) },
          brokennew: { fail: 'new' },
          brokenprovide: { fail: 'provide' },
          brokentimer: { channel: 'timer', fail: 'timer', initial: route('/timer', 'timer', alpha.url) },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await alpha.close();
    await beta.close();
    rmSync(pluginDir, { recursive: true, force: true });
  });

  it('serves the routes a provider plugin emits, named <name>@plugin-<plugin> as in Traefik', async () => {
    expect((await nodeGet(`${proxy.url()}/alpha`)).body).toBe('alpha');
    const runtime = proxy.proxy.runtime();
    expect(runtime?.routers.get('alpha@plugin-main')?.status).toBe('enabled');
    expect(runtime?.services.get('alpha@plugin-main')?.status).toBe('enabled');
    // The plugin got its name, and only the environment variables listed in settings.envs.
    expect(channel('main').name).toBe('plugin-main');
    expect(channel('main').env).toEqual({ AFFINEUR_PROVIDER_PLUGIN_TEST: 'visible' });
  });

  it('applies a new emission live: routes appear and disappear', async () => {
    const both = route('/beta', 'beta', beta.url);
    Object.assign(both.http.routers, route('/alpha', 'alpha', alpha.url).http.routers);
    Object.assign(both.http.services ?? {}, route('/alpha', 'alpha', alpha.url).http.services);
    await emitFrom(proxy, 'main', both);
    expect((await nodeGet(`${proxy.url()}/beta`)).body).toBe('beta');
    expect((await nodeGet(`${proxy.url()}/alpha`)).body).toBe('alpha');

    await emitFrom(proxy, 'main', route('/beta', 'beta', beta.url));
    expect((await nodeGet(`${proxy.url()}/alpha`)).status).toBe(404);
    expect((await nodeGet(`${proxy.url()}/beta`)).body).toBe('beta');
  });

  it('disables an invalid object with an error naming the provider and key path; the rest serves', async () => {
    const config = route('/beta', 'beta', beta.url) as {
      http: { routers: Record<string, unknown>; services?: Record<string, unknown> };
    };
    config.http.routers.typo = { rule: 'PathPrefix(`/typo`)', service: 'beta', priorty: 5 };
    const runtime = await emitFrom(proxy, 'main', config);
    const typo = runtime.routers.get('typo@plugin-main');
    expect(typo?.status).toBe('disabled');
    expect(typo?.errors[0]?.code).toBe('AFF_ERR_CONFIG_UNKNOWN_KEY');
    expect(typo?.errors[0]?.message).toContain('http.routers.typo.priorty (from the plugin-main provider)');
    expect(typo?.errors[0]?.message).toContain('Did you mean "priority"?');
    expect((await nodeGet(`${proxy.url()}/beta`)).body).toBe('beta');
    expect((await nodeGet(`${proxy.url()}/typo`)).status).toBe(404);
  });

  it('logs an emission that is not an object, with the plugin name, and keeps the last configuration', async () => {
    await emitFrom(proxy, 'main', route('/beta', 'beta', beta.url));
    const logged = proxy.waitForLog(/provider plugin \\"main\\" failed to emit a configuration/);
    channel('main').emit('http: {}');
    const line = await logged;
    expect(line).toContain('AFF_ERR_PROXY_PLUGIN_FAILED');
    expect(line).toContain('it emitted a string, not a configuration object');
    expect((await nodeGet(`${proxy.url()}/beta`)).body).toBe('beta');
  });

  it('a provider plugin that throws, in New, in provide or from its timer, never takes the proxy down', async () => {
    const failures = proxy.logs.filter((line) => line.includes('AFF_ERR_PROXY_PLUGIN_FAILED'));
    expect(failures.some((line) => line.includes('provider plugin \\"brokennew\\" failed in New'))).toBe(
      true,
    );
    expect(failures.some((line) => line.includes('plugin-brokennew broke in New'))).toBe(true);
    expect(
      failures.some((line) => line.includes('provider plugin \\"brokenprovide\\" failed while providing')),
    ).toBe(true);

    // The timer's throw comes after its routes were applied: they stay in service.
    expect((await nodeGet(`${proxy.url()}/timer`)).body).toBe('alpha');
    const logged = proxy.waitForLog(/plugin-brokentimer broke in a timer/);
    channel('timer').breakNow = true;
    const line = await logged;
    expect(line).toContain('provider plugin \\"brokentimer\\" failed in a callback it started');
    expect((await nodeGet(`${proxy.url()}/timer`)).body).toBe('alpha');
    // The other providers carry on.
    expect((await nodeGet(`${proxy.url()}/beta`)).body).toBe('beta');
    await emitFrom(proxy, 'main', route('/beta2', 'beta', beta.url));
    expect((await nodeGet(`${proxy.url()}/beta2`)).body).toBe('beta');
  });

  it('reaches across providers with name@provider, both ways, and uses the same module as a middleware', async () => {
    await emitFrom(proxy, 'main', {
      http: {
        routers: {
          stamped: { rule: 'PathPrefix(`/stamped`)', service: 'fromfile@file', middlewares: ['stamp'] },
        },
        services: { shared: { loadBalancer: { servers: [{ url: beta.url }] } } },
        middlewares: { stamp: { plugin: { main: { stamp: 'by-the-provider' } } } },
      },
    });
    const runtime = await proxy.write('dynamic.yml', {
      http: {
        routers: { cross: { rule: 'PathPrefix(`/cross`)', service: 'shared@plugin-main' } },
        services: { fromfile: { loadBalancer: { servers: [{ url: alpha.url }] } } },
      },
    });
    expect(runtime.routers.get('cross@file')?.status).toBe('enabled');
    expect((await nodeGet(`${proxy.url()}/cross`)).body).toBe('beta');
    const stamped = await nodeGet(`${proxy.url()}/stamped`);
    expect(stamped.body).toBe('alpha');
    expect(stamped.headers['x-stamp']).toBe('by-the-provider');
  });

  it('a provider-only plugin used as a middleware disables that middleware with AFF_ERR_PROXY_PLUGIN_KIND', async () => {
    const runtime = await emitFrom(proxy, 'main', {
      http: {
        routers: { wrong: { rule: 'PathPrefix(`/wrong`)', service: 'beta', middlewares: ['wrong'] } },
        services: { beta: { loadBalancer: { servers: [{ url: beta.url }] } } },
        middlewares: { wrong: { plugin: { registryonly: {} } } },
      },
    });
    expect(expectDisabledByMiddleware(runtime, 'wrong@plugin-main', 'wrong@plugin-main').code).toBe(
      'AFF_ERR_PROXY_PLUGIN_KIND',
    );
  });
});

describe('the example service-registry provider plugin', () => {
  it('routes Host(<service>.<domain>) from its registry file and follows the file as it changes', async () => {
    const api = await startUpstream((_req, res) => res.end('api'));
    const shop = await startUpstream((_req, res) => res.end('shop'));
    const dir = mkdtempSync(join(tmpdir(), 'affineur-registry-'));
    const registryFile = join(dir, 'services.json');
    const writeRegistry = (registry: unknown, text = JSON.stringify(registry)) => {
      writeFileSync(`${registryFile}.tmp`, text);
      renameSync(`${registryFile}.tmp`, registryFile);
    };
    writeRegistry({ api: [api.url] });
    const proxy = await startTestProxy({
      static: { experimental: { localPlugins: { registry: { moduleName: example } } } },
      providers: { plugin: { registry: { registryFile, domain: 'apps.test', pollInterval: '20ms' } } },
    });
    const get = (host: string) => nodeGet(proxy.url(), { host });
    try {
      expect((await get('api.apps.test')).body).toBe('api');
      expect((await get('shop.apps.test')).status).toBe(404);

      const applied = new Promise<RuntimeConfig<CompiledRule>>((resolve) => proxy.proxy.onApplied(resolve));
      writeRegistry({ api: [api.url], shop: [shop.url] });
      expect((await applied).routers.get('shop@plugin-registry')?.status).toBe('enabled');
      expect((await get('shop.apps.test')).body).toBe('shop');

      // A half-written file is logged; the routes last emitted keep serving.
      const warned = proxy.waitForLog(/the registry file is not valid/);
      writeRegistry(undefined, '{"api": [');
      await warned;
      expect((await get('api.apps.test')).body).toBe('api');
      expect((await get('shop.apps.test')).body).toBe('shop');
    } finally {
      await proxy.close();
      await api.close();
      await shop.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('provider plugin mistakes in the install configuration stop the start', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'affineur-provider-plugin-config-'));
    writeFileSync(join(dir, 'middleware-only.mjs'), middlewareOnlyPlugin);
    writeFileSync(join(dir, 'strict.mjs'), strictOptionsPlugin);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let files = 0;
  /** Runs `affineur proxy --configFile=...` as the CLI does. */
  function runProxy(installConfig: string): { run: Promise<number>; configFile: string } {
    const configFile = join(dir, `affineur-${++files}.yml`);
    writeFileSync(configFile, installConfig);
    const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const run = proxyCommand.run([`--configFile=${configFile}`], {
      stdout: quiet,
      stderr: quiet,
      env: {},
      cwd: dir,
    });
    return { run, configFile };
  }

  it('a provider plugin that experimental.localPlugins does not declare', async () => {
    const { run, configFile } = runProxy(
      ['entryPoints:', '  web:', '    address: 127.0.0.1:0', 'providers:', '  plugin:', '    ghost: {}'].join(
        '\n',
      ),
    );
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; keyPath?: string; file?: string },
    );
    expect(error?.code).toBe('AFF_ERR_PROXY_PLUGIN_UNKNOWN');
    expect(error?.file).toBe(configFile);
    expect(error?.keyPath).toBe('providers.plugin.ghost');
    expect(error?.message).toContain('plugin "ghost" is not declared.');
    expect(error?.message).toContain('Declare it under experimental.localPlugins.ghost.moduleName');
  });

  it('a plugin that offers no provider, and options the plugin refuses', async () => {
    const install = (plugin: string, module: string, options: string) =>
      [
        'experimental:',
        '  localPlugins:',
        `    ${plugin}:`,
        `      moduleName: ${join(dir, module)}`,
        'providers:',
        '  plugin:',
        `    ${plugin}: ${options}`,
      ].join('\n');
    const kind = runProxy(install('onlymiddleware', 'middleware-only.mjs', '{}'));
    await expect(kind.run).rejects.toMatchObject({
      code: 'AFF_ERR_PROXY_PLUGIN_KIND',
      file: kind.configFile,
      keyPath: 'providers.plugin.onlymiddleware',
    });
    const options = runProxy(install('strict', 'strict.mjs', '{ domian: apps.test }'));
    await expect(options.run).rejects.toMatchObject({
      code: 'AFF_ERR_CONFIG_INVALID',
      file: options.configFile,
      keyPath: 'providers.plugin.strict',
      message: expect.stringContaining('invalid options for plugin "strict": domain: expected a string'),
    });
  });

  it('a declared plugin whose module cannot be loaded is logged and left out; the proxy starts', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    const config = staticConfigSchema.parse({
      entryPoints: { web: { address: '127.0.0.1:0' } },
      experimental: { localPlugins: { gone: { moduleName: join(dir, 'no-such-module.mjs') } } },
      providers: { plugin: { gone: null } },
    });
    const running = await startProxy(config, { logger: pino({ level: 'info' }, sink) });
    try {
      expect(running.addresses.get('web')?.port).toBeGreaterThan(0);
      expect(lines.some((line) => line.includes('AFF_ERR_PROXY_PLUGIN_LOAD'))).toBe(true);
      expect(lines.some((line) => line.includes('provider plugin \\"gone\\" is disabled'))).toBe(true);
    } finally {
      await running.stop();
    }
  });
});
