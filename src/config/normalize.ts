import type { z } from 'zod';
import { childOf, kindOf } from './schema-walk.js';

export interface NormalizeOptions {
  /**
   * Flags and env vars carry every value as a string; when set, strings are turned into the
   * booleans, numbers and lists the schema asks for. File values keep their own types.
   */
  coerceStrings?: boolean;
}

/**
 * Rewrites keys to the spelling the schema uses (Traefik matches keys case-insensitively in
 * every source) and, for string sources, coerces leaf values. Unknown keys are left untouched
 * so that validation reports them with a suggestion.
 */
export function normalizeToSchema(
  value: unknown,
  schema: z.ZodType,
  options: NormalizeOptions = {},
): unknown {
  const kind = kindOf(schema);
  if (options.coerceStrings && typeof value === 'string') return coerceString(value, kind, schema, options);
  if (Array.isArray(value)) {
    return value.map((item) => {
      const element = childOf(schema, '0');
      return element ? normalizeToSchema(item, element.schema, options) : item;
    });
  }
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const target = childOf(schema, key);
    if (!target) {
      out[key] = child;
      continue;
    }
    const normalized = normalizeToSchema(child, target.schema, options);
    out[target.key] = target.key in out ? mergeDeep(out[target.key], normalized) : normalized;
  }
  return out;
}

function coerceString(
  value: string,
  kind: ReturnType<typeof kindOf>,
  schema: z.ZodType,
  options: NormalizeOptions,
) {
  switch (kind) {
    case 'boolean':
      if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
      return value;
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    case 'array': {
      // Traefik's flag and env syntax for lists is comma-separated.
      const element = childOf(schema, '0');
      const items = value === '' ? [] : value.split(',').map((item) => item.trim());
      return element ? items.map((item) => normalizeToSchema(item, element.schema, options)) : items;
    }
    case 'object':
    case 'record':
      // A bare `--providers.file` or `--api=true` enables a section with its defaults.
      if (value === '' || value.toLowerCase() === 'true') return {};
      return value;
    default:
      return value;
  }
}

export function mergeDeep(a: unknown, b: unknown): unknown {
  if (isPlainObject(a) && isPlainObject(b)) {
    const out: Record<string, unknown> = { ...a };
    for (const [key, value] of Object.entries(b)) out[key] = key in out ? mergeDeep(out[key], value) : value;
    return out;
  }
  return b;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
