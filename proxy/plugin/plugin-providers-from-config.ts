/**
 * `providers.plugin.<name>: {...options}` in the install configuration: one PluginProvider per
 * entry. Mistakes in the install configuration itself (a name not declared under
 * experimental.localPlugins, a plugin that offers no provider, options its schema refuses) stop
 * the start with an error naming the key path, like any other invalid install setting. A plugin
 * whose module could not be loaded was already logged by the loader: its provider is left out
 * and the proxy starts with the others, as routers using a broken plugin middleware do.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { LoadedPlugins } from './local-plugins.js';
import { readPluginOptions } from './plugin-options.js';
import { PluginProvider } from './plugin-provider.js';

export interface PluginProvidersRequest {
  /** `providers.plugin` of the install configuration: plugin name → options. */
  configured: Readonly<Record<string, unknown>>;
  plugins: LoadedPlugins;
  logger: Logger;
  /** The install configuration file, for error messages, when it came from one. */
  configFile?: string | undefined;
}

export function pluginProvidersFromConfig(request: PluginProvidersRequest): PluginProvider[] {
  const { configured, plugins, logger, configFile } = request;
  const inFile = configFile ? { file: configFile } : {};
  const providers: PluginProvider[] = [];
  for (const [pluginName, options] of Object.entries(configured)) {
    const keyPath = `providers.plugin.${pluginName}`;
    const loaded = plugins.get(pluginName);
    if (!loaded) {
      const known = [...plugins.keys()];
      throw new AffineurError('AFF_ERR_PROXY_PLUGIN_UNKNOWN', `plugin "${pluginName}" is not declared.`, {
        ...inFile,
        keyPath,
        hint: `Declare it under experimental.localPlugins.${pluginName}.moduleName${known.length > 0 ? ` (declared plugins: ${known.join(', ')})` : ''}, or fix the name.`,
      });
    }
    if ('failure' in loaded) {
      logger.error(
        { plugin: pluginName, code: loaded.failure.code },
        `provider plugin "${pluginName}" is disabled: its module could not be loaded (see the error above); the other providers start`,
      );
      continue;
    }
    const plugin = loaded.provider;
    if (!plugin) {
      throw new AffineurError('AFF_ERR_PROXY_PLUGIN_KIND', `plugin "${pluginName}" offers no provider.`, {
        ...inFile,
        keyPath,
        hint: 'Its module must export `provider = defineProviderPlugin({ New(context, config, name) { ... } })` (see docs/plugins.md); a middleware plugin is used in routing configuration instead, as plugin: { <name>: {...} }.',
      });
    }
    let config: unknown;
    try {
      config = readPluginOptions(plugin, options, { pluginName, keyPath, file: configFile });
    } catch (error) {
      if (error instanceof AffineurError) throw error;
      // The plugin's own createConfig threw: a fault of the plugin, not of the configuration.
      logger.error(
        { err: error, plugin: pluginName, code: 'AFF_ERR_PROXY_PLUGIN_FAILED' },
        `provider plugin "${pluginName}" failed in createConfig; it is disabled and the other providers start`,
      );
      continue;
    }
    providers.push(new PluginProvider({ pluginName, plugin, config, env: loaded.env }));
  }
  return providers;
}
