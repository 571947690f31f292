/**
 * Reads the shape of a zod schema at run time. Flags, env vars and case-insensitive keys all
 * need to know, for a dotted path, which key the schema really means and what type it wants.
 */
import type { z } from 'zod';

type AnySchema = z.ZodType;

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  valueType?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  element?: AnySchema;
  options?: AnySchema[];
  getter?: () => AnySchema;
}

function defOf(schema: AnySchema): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips optional, default, nullable, pipe and lazy wrappers down to the schema that holds the shape. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe' && def.in) current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else return current;
  }
}

export type SchemaKind = 'object' | 'record' | 'array' | 'boolean' | 'number' | 'string' | 'other';

export function kindOf(schema: AnySchema): SchemaKind {
  const def = defOf(unwrap(schema));
  switch (def.type) {
    case 'object':
    case 'record':
    case 'array':
    case 'boolean':
    case 'number':
    case 'string':
      return def.type;
    case 'union': {
      // A union of an object and something else (e.g. `true | {...}`) is walked as the object.
      const kinds = (def.options ?? []).map(kindOf);
      if (kinds.includes('object')) return 'object';
      if (kinds.includes('record')) return 'record';
      if (kinds.includes('array')) return 'array';
      return kinds.every((k) => k === 'boolean') ? 'boolean' : 'other';
    }
    default:
      return 'other';
  }
}

/** The keys an object schema knows, in declaration order; empty for anything else. */
export function knownKeys(schema: AnySchema): string[] {
  const shape = objectShape(schema);
  return shape ? Object.keys(shape) : [];
}

function objectShape(schema: AnySchema): Record<string, AnySchema> | undefined {
  const def = defOf(unwrap(schema));
  if (def.type === 'object') return def.shape;
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const shape = objectShape(option);
      if (shape) return shape;
    }
  }
  return undefined;
}

export interface Child {
  /** The key as the schema spells it (or the map key as given, for records). */
  key: string;
  schema: AnySchema;
}

/**
 * The child schema for `key`, matching object keys case-insensitively as Traefik does.
 * Record (map) keys are user-chosen names and are kept as given.
 */
export function childOf(schema: AnySchema, key: string): Child | undefined {
  const shape = objectShape(schema);
  if (shape) {
    if (key in shape) return { key, schema: shape[key] as AnySchema };
    const lower = key.toLowerCase();
    const match = Object.keys(shape).find((k) => k.toLowerCase() === lower);
    return match ? { key: match, schema: shape[match] as AnySchema } : undefined;
  }
  const def = defOf(unwrap(schema));
  if (def.type === 'record' && def.valueType) return { key, schema: def.valueType };
  if (def.type === 'array' && def.element) return { key, schema: def.element };
  if (def.type === 'union') {
    for (const option of def.options ?? []) {
      const found = childOf(option, key);
      if (found) return found;
    }
  }
  return undefined;
}
