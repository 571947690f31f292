import { existsSync } from 'node:fs';
import { z } from 'zod';
import { type ConfigFile, readConfigFile } from './config-file.js';
import { parseEnvVars } from './env-vars.js';
import { parseDottedFlags } from './flags.js';
import { normalizeToSchema } from './normalize.js';
import { validateConfig } from './validate.js';

export interface StaticConfigRequest<S extends z.ZodType> {
  schema: S;
  /** The command's own arguments, e.g. `['--configFile=affineur.yml']`. */
  args: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  /** `AFFINEUR_` by default. */
  envPrefix?: string;
  /** Files tried, in order, when neither `--configFile` nor `AFFINEUR_CONFIGFILE` is given. */
  defaultFiles?: readonly string[];
  /**
   * Adjusts what a config file holds before validation, e.g. the proxy setting aside the routing
   * sections of an install file that its own file provider reads (Traefik's single-file setup).
   */
  prepareFileValue?: (file: ConfigFile) => unknown;
}

export type StaticConfigSource =
  | { kind: 'file'; file: string }
  | { kind: 'flags' }
  | { kind: 'env' }
  | { kind: 'defaults' };

export interface LoadedStaticConfig<T> {
  config: T;
  source: StaticConfigSource;
  /** Flags or env vars that were set but not used, because only one source is ever used. */
  ignored: string[];
}

/**
 * Loads install (static) configuration the way Traefik does: exactly one source is used,
 * the first of a config file, then command-line flags, then environment variables.
 * Mixing sources is a classic Traefik surprise, so the ignored ones are returned for a warning.
 */
export async function loadStaticConfig<S extends z.ZodType>(
  request: StaticConfigRequest<S>,
): Promise<LoadedStaticConfig<z.output<S>>> {
  const prefix = request.envPrefix ?? 'AFFINEUR_';
  const flags = parseDottedFlags(request.args, withConfigFile(request.schema));
  const { configFile: configFileFlag, ...flagValues } = pickConfigFile(flags.values);
  const env = parseEnvVars(request.env, prefix);
  const configFile =
    configFileFlag ??
    request.env[`${prefix}CONFIGFILE`] ??
    request.defaultFiles?.find((candidate) => existsSync(candidate));

  if (configFile) {
    const file = await readConfigFile(configFile);
    const raw = request.prepareFileValue ? request.prepareFileValue(file) : file.value;
    const value = normalizeToSchema(raw ?? {}, request.schema);
    const config = validateConfig(request.schema, value, {
      source: file.path,
      isFile: true,
      locate: file.locate,
    });
    const ignored = [...flags.given.filter((flag) => flag.toLowerCase() !== '--configfile'), ...env.given];
    return { config, source: { kind: 'file', file: file.path }, ignored };
  }
  if (Object.keys(flagValues).length > 0) {
    const value = normalizeToSchema(flagValues, request.schema, { coerceStrings: true });
    const config = validateConfig(request.schema, value, { source: 'command-line flags', isFile: false });
    return { config, source: { kind: 'flags' }, ignored: env.given };
  }
  if (env.given.length > 0) {
    const value = normalizeToSchema(env.values, request.schema, { coerceStrings: true });
    const config = validateConfig(request.schema, value, { source: 'environment variables', isFile: false });
    return { config, source: { kind: 'env' }, ignored: [] };
  }
  const config = validateConfig(request.schema, {}, { source: 'defaults', isFile: false });
  return { config, source: { kind: 'defaults' }, ignored: [] };
}

function withConfigFile(schema: z.ZodType): z.ZodType {
  // Only used to tell that `--configFile` takes a value; merging shapes keeps the walk simple.
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return z.object({ ...shape, configFile: z.string() });
}

function pickConfigFile(values: Record<string, unknown>): { configFile?: string } & Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let configFile: string | undefined;
  for (const [key, value] of Object.entries(values)) {
    if (key.toLowerCase() === 'configfile' && typeof value === 'string') configFile = value;
    else out[key] = value;
  }
  return configFile === undefined ? out : { ...out, configFile };
}
