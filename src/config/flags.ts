import type { z } from 'zod';
import { AffineurError } from '../errors/affineur-error.js';
import { setAtPath, splitDottedPath } from './dotted-path.js';
import { childOf, kindOf } from './schema-walk.js';

export interface ParsedFlags {
  /** Nested object built from the dotted flags, values still strings. */
  values: Record<string, unknown>;
  /** The flags as given, for messages. */
  given: string[];
}

/**
 * Parses Traefik-style dotted flags: `--entryPoints.web.address=:8080`,
 * `--entryPoints.web.address :8080`, and bare `--api.insecure` meaning true.
 * The schema decides whether a bare flag takes the next argument as its value.
 */
export function parseDottedFlags(args: readonly string[], schema: z.ZodType): ParsedFlags {
  const values: Record<string, unknown> = {};
  const given: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `unexpected argument "${arg}".`, {
        hint: 'Options take the form --section.key=value.',
      });
    }
    const eq = arg.indexOf('=');
    const path = arg.slice(2, eq === -1 ? undefined : eq);
    const segments = splitDottedPath(path);
    let value: string;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = args[i + 1];
      const kind = leafKind(schema, segments);
      const takesValue = kind !== 'boolean' && kind !== 'object' && kind !== 'record';
      if (takesValue && next !== undefined && !next.startsWith('--')) {
        value = next;
        i++;
      } else {
        value = 'true';
      }
    }
    setAtPath(values, segments, value);
    given.push(`--${path}`);
  }
  return { values, given };
}

function leafKind(schema: z.ZodType, segments: (string | number)[]) {
  let current: z.ZodType | undefined = schema;
  for (const segment of segments) {
    current = current ? childOf(current, String(segment))?.schema : undefined;
  }
  return current ? kindOf(current) : 'other';
}
