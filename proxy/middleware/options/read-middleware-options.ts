/**
 * Reads a middleware's options against its zod schema when the routing is built: keys match
 * case-insensitively (as in Traefik), unknown keys are errors with a "did you mean", and every
 * problem names the middleware and the option. A factory calls this first and lets the error
 * go: the builder then disables the middleware and the routers that use it.
 */
import type { z } from 'zod';
import { normalizeToSchema } from '../../../src/config/normalize.js';
import { validateConfig } from '../../../src/config/validate.js';
import { AffineurError } from '../../../src/errors/affineur-error.js';

export function readMiddlewareOptions<S extends z.ZodType>(
  schema: S,
  options: unknown,
  name: string,
  type: string,
): z.output<S> {
  // Traefik accepts an empty section (`compress: {}`, or a bare `compress:` in YAML) as defaults.
  const value = normalizeToSchema(options ?? {}, schema);
  // The type prefixes key paths, so they read `headers.stsSeconds`.
  return validateConfig(schema, value, {
    source: `middleware "${name}"`,
    isFile: false,
    keyPathPrefix: [type],
  });
}

/** A problem with an option that the schema cannot express (a bad regexp, a bad IP range). */
export function invalidOption(name: string, keyPath: string, message: string, hint?: string): AffineurError {
  return new AffineurError('AFF_ERR_CONFIG_INVALID', message, {
    keyPath: `${keyPath} (from middleware "${name}")`,
    ...(hint ? { hint } : {}),
  });
}
