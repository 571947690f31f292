/**
 * Loads the local plugins named in `experimental.localPlugins`, once, at start (as Traefik does:
 * plugins cannot change while the proxy runs). A plugin that cannot be loaded is disabled with
 * its error; the routers (or the provider) that use it report that error, and everything else
 * starts normally.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { MiddlewarePlugin, ProviderPlugin } from './plugin-api.js';

export interface LocalPluginConfig {
  moduleName: string;
  settings?: { envs: string[] } | undefined;
}

/** A module offers a middleware, a provider, or both (never neither: that fails to load). */
export type LoadedPlugin =
  | {
      name: string;
      middleware: MiddlewarePlugin<unknown> | undefined;
      provider: ProviderPlugin<unknown> | undefined;
      env: Readonly<Record<string, string>>;
    }
  | { name: string; failure: AffineurError };

export type LoadedPlugins = ReadonlyMap<string, LoadedPlugin>;

export async function loadLocalPlugins(
  declared: Readonly<Record<string, LocalPluginConfig>>,
  logger: Logger,
  cwd: string = process.cwd(),
): Promise<LoadedPlugins> {
  const loaded = new Map<string, LoadedPlugin>();
  for (const [name, config] of Object.entries(declared)) {
    const keyPath = `experimental.localPlugins.${name}`;
    try {
      const file = resolveModule(config.moduleName, cwd, keyPath);
      const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      const { middleware, provider } = pluginShape(module, keyPath);
      const env = Object.fromEntries(
        (config.settings?.envs ?? []).flatMap((key) => {
          const value = process.env[key];
          return value === undefined ? [] : [[key, value]];
        }),
      );
      loaded.set(name, { name, middleware, provider, env });
      const offers = [middleware && 'middleware', provider && 'provider'].filter(Boolean);
      logger.info({ plugin: name, module: file, offers }, 'local plugin loaded');
    } catch (error) {
      const failure =
        error instanceof AffineurError
          ? error
          : new AffineurError(
              'AFF_ERR_PROXY_PLUGIN_LOAD',
              `plugin "${name}" failed while loading: ${(error as Error).message}`,
              {
                keyPath: `${keyPath}.moduleName`,
                hint: 'Fix the error in the plugin module; it runs once, when affineur starts.',
                cause: error,
              },
            );
      logger.error({ plugin: name, code: failure.code }, failure.message);
      loaded.set(name, { name, failure });
    }
  }
  return loaded;
}

/**
 * A path (`./plugins/x`, `/opt/x/index.js`) is used as it is; a module name such as
 * `github.com/acme/plugin` is looked up in `plugins-local/src/`, Traefik's local plugin layout.
 * A directory's entry point is its package.json `main`, else index.{ts,mts,mjs,js}.
 */
function resolveModule(moduleName: string, cwd: string, keyPath: string): string {
  const base = /^(\.{1,2}\/|\/)/.test(moduleName)
    ? resolve(cwd, moduleName)
    : resolve(cwd, 'plugins-local', 'src', moduleName);
  const candidates = [base];
  if (existsSync(base) && statSync(base).isDirectory()) {
    const manifest = join(base, 'package.json');
    if (existsSync(manifest)) {
      const main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: unknown }).main;
      if (typeof main === 'string') candidates.unshift(join(base, main));
    }
    candidates.push(...['index.ts', 'index.mts', 'index.mjs', 'index.js'].map((f) => join(base, f)));
  }
  const found = candidates.find((file) => existsSync(file) && statSync(file).isFile());
  if (!found) {
    throw new AffineurError('AFF_ERR_PROXY_PLUGIN_LOAD', `no plugin module at "${base}".`, {
      keyPath: `${keyPath}.moduleName`,
      hint: 'Give a path to the plugin file or directory, or put it in plugins-local/src/<moduleName>/ with an index.ts, index.mjs or index.js.',
    });
  }
  return found;
}

/**
 * The middleware is the module itself when it exports `New`, else its default export; the
 * provider is the named export `provider`, so one module can carry both.
 */
function pluginShape(
  module: Record<string, unknown>,
  keyPath: string,
): { middleware: MiddlewarePlugin<unknown> | undefined; provider: ProviderPlugin<unknown> | undefined } {
  const middlewareCandidate = (typeof module.New === 'function' ? module : module.default) as
    | Partial<MiddlewarePlugin<unknown>>
    | undefined;
  const middleware = typeof middlewareCandidate?.New === 'function' ? middlewareCandidate : undefined;
  const provider = module.provider as Partial<ProviderPlugin<unknown>> | undefined;
  if (!middleware && provider === undefined) {
    throw new AffineurError(
      'AFF_ERR_PROXY_PLUGIN_LOAD',
      'the plugin module exports neither a middleware nor a provider.',
      {
        keyPath: `${keyPath}.moduleName`,
        hint: 'For a middleware, export `New(context, next, config, name)` (and optionally createConfig and configSchema), or a default export with them; for a provider, export `provider` with a `New(context, config, name)`; see docs/plugins.md.',
      },
    );
  }
  if (provider !== undefined && (provider === null || typeof provider.New !== 'function')) {
    throw new AffineurError(
      'AFF_ERR_PROXY_PLUGIN_LOAD',
      'the plugin module exports a provider without a New function.',
      {
        keyPath: `${keyPath}.moduleName`,
        hint: 'Export `provider = defineProviderPlugin({ New(context, config, name) { ... } })`; see docs/plugins.md.',
      },
    );
  }
  for (const [what, candidate] of [
    ['', middleware],
    ['provider ', provider],
  ] as const) {
    if (candidate?.createConfig !== undefined && typeof candidate.createConfig !== 'function') {
      throw new AffineurError(
        'AFF_ERR_PROXY_PLUGIN_LOAD',
        `the plugin module exports a ${what}createConfig that is not a function.`,
        { keyPath: `${keyPath}.moduleName` },
      );
    }
  }
  return {
    middleware: middleware as MiddlewarePlugin<unknown> | undefined,
    provider: provider as ProviderPlugin<unknown> | undefined,
  };
}
