/**
 * Reads a middleware's options against its strict schema, at build time. The routing schema
 * accepts any options under a middleware type (so that one bad middleware disables only the
 * routers using it); this is where they meet their real schema: keys match case-insensitively
 * as in Traefik, and an unknown key is an error naming the middleware, the key and the likely one.
 */
import type { z } from 'zod';
import { normalizeToSchema } from '../../src/config/normalize.js';
import { validateConfig } from '../../src/config/validate.js';

export function readMiddlewareOptions<S extends z.ZodType>(
  schema: S,
  type: string,
  name: string,
  options: unknown,
): z.output<S> {
  // `basicAuth: {}` and a bare `basicAuth:` (null in YAML) both mean "all defaults".
  const value = options === null || options === undefined ? {} : options;
  const normalized = normalizeToSchema(value, schema);
  return validateConfig(schema, normalized, {
    source: `the ${type} middleware "${name}"`,
    isFile: false,
  });
}
