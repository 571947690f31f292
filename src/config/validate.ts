import type { z } from 'zod';
import { AffineurError, AffineurErrorList } from '../errors/affineur-error.js';
import type { ErrorCode } from '../errors/catalog.js';
import { formatKeyPath } from './dotted-path.js';
import type { LineLocator } from './locate-key.js';
import { childOf, knownKeys } from './schema-walk.js';
import { suggestClosest } from './suggest.js';

/** Where a config value came from, so errors can point at it. */
export interface ConfigOrigin {
  /** The file, or a description such as "command-line flags" or "environment variables". */
  source: string;
  /** True when `source` is a file path. */
  isFile: boolean;
  locate?: LineLocator;
  /**
   * Where the validated value sits in its document, prefixed to every key path and line lookup.
   * It lets one object of a large document be checked against its own schema, built once,
   * instead of wrapping it in a schema keyed by its name.
   */
  keyPathPrefix?: readonly (string | number)[];
}

/**
 * Validates a config against its schema. All problems are reported at once; each names the
 * file (and line), the key path, the value found, and what was expected or the likely fix.
 */
export function validateConfig<S extends z.ZodType>(
  schema: S,
  value: unknown,
  origin: ConfigOrigin,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = withoutMisspelledRequiredKeys(result.error.issues, schema);
  const errors = issues
    .flatMap((issue) => describeIssue(issue, schema, value, origin))
    .sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  throw errors.length === 1 ? errors[0] : new AffineurErrorList(errors);
}

/**
 * `adress: x` yields two issues: unknown key `adress` and missing key `address`. They are one
 * mistake, and the unknown-key message already suggests the fix, so the "missing" one is dropped.
 */
function withoutMisspelledRequiredKeys(issues: z.core.$ZodIssue[], schema: z.ZodType): z.core.$ZodIssue[] {
  const suggested = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const parent = schemaAt(schema, pathOf(issue));
    for (const key of issue.keys) {
      const suggestion = suggestClosest(key, parent ? knownKeys(parent) : []);
      if (suggestion) suggested.add(formatKeyPath([...pathOf(issue), suggestion]));
    }
  }
  return issues.filter(
    (issue) => !(issue.code === 'invalid_type' && suggested.has(formatKeyPath(pathOf(issue)))),
  );
}

function pathOf(issue: z.core.$ZodIssue): (string | number)[] {
  return issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
}

function describeIssue(
  issue: z.core.$ZodIssue,
  schema: z.ZodType,
  root: unknown,
  origin: ConfigOrigin,
): AffineurError[] {
  const path = pathOf(issue);
  if (issue.code === 'unrecognized_keys') {
    const parent = schemaAt(schema, path);
    const candidates = parent ? knownKeys(parent) : [];
    return issue.keys.map((key) => {
      const keyPath = [...path, key];
      const suggestion = suggestClosest(key, candidates);
      const hint = suggestion
        ? `Did you mean "${suggestion}"?`
        : candidates.length > 0
          ? `Known keys here: ${candidates.join(', ')}.`
          : 'Remove it.';
      return errorAt('AFF_ERR_CONFIG_UNKNOWN_KEY', `unknown key "${key}".`, keyPath, hint, origin);
    });
  }
  const params = (issue as { params?: { affineur?: ErrorCode; hint?: string } }).params;
  const code = params?.affineur ?? 'AFF_ERR_CONFIG_INVALID';
  const found = valueAt(root, path);
  let message = `${issue.message}.`;
  if (code === 'AFF_ERR_CONFIG_INVALID') {
    message =
      found === undefined
        ? `this key is required (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}).`
        : `${issue.message}; found ${truncate(JSON.stringify(found))}.`;
  }
  return [errorAt(code, message, path, params?.hint, origin)];
}

function errorAt(
  code: ErrorCode,
  message: string,
  keyPath: (string | number)[],
  hint: string | undefined,
  origin: ConfigOrigin,
): AffineurError {
  const fullPath = origin.keyPathPrefix ? [...origin.keyPathPrefix, ...keyPath] : keyPath;
  const line = origin.locate?.(fullPath);
  return new AffineurError(code, message, {
    ...(origin.isFile ? { file: origin.source } : {}),
    ...(line === undefined ? {} : { line }),
    keyPath: origin.isFile ? formatKeyPath(fullPath) : `${formatKeyPath(fullPath)} (from ${origin.source})`,
    ...(hint ? { hint } : {}),
  });
}

function schemaAt(schema: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) current = current ? childOf(current, String(segment))?.schema : undefined;
  return current;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function truncate(text: string | undefined): string {
  if (text === undefined) return 'undefined';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
