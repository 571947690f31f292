/**
 * A plugin's options, the same way for middlewares and providers: its `createConfig()` defaults
 * with the configured options merged over them, then checked by its `configSchema` if it has one.
 */
import { mergeDeep } from '../../src/config/normalize.js';
import { AffineurError } from '../../src/errors/affineur-error.js';

export interface OptionsPlugin<Config> {
  createConfig?: () => Config;
  configSchema?: { parse(value: unknown): Config };
}

export interface OptionsLocation {
  pluginName: string;
  /** Where the options are written, e.g. `providers.plugin.demo`. */
  keyPath: string;
  /** The file they are written in, when it is known. */
  file?: string | undefined;
}

/** Throws AFF_ERR_CONFIG_INVALID, naming the key path, when the options do not pass the schema. */
export function readPluginOptions<Config>(
  plugin: OptionsPlugin<Config>,
  options: unknown,
  where: OptionsLocation,
): Config {
  const defaults = plugin.createConfig ? plugin.createConfig() : {};
  const merged = options === null || options === undefined ? defaults : mergeDeep(defaults, options);
  if (!plugin.configSchema) return merged as Config;
  try {
    return plugin.configSchema.parse(merged);
  } catch (error) {
    throw new AffineurError(
      'AFF_ERR_CONFIG_INVALID',
      `invalid options for plugin "${where.pluginName}": ${describe(error)}`,
      {
        ...(where.file ? { file: where.file } : {}),
        keyPath: where.keyPath,
        hint: "Fix the options as the plugin's documentation says.",
      },
    );
  }
}

/** A zod error lists its issues with their paths; anything else thrown is its message. */
function describe(error: unknown): string {
  const issues = (error as { issues?: { path?: unknown[]; message: string }[] }).issues;
  if (Array.isArray(issues)) {
    return issues.map((i) => `${(i.path ?? []).join('.') || '(options)'}: ${i.message}`).join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
