/**
 * Validates a request body against a zod schema and turns failures into GitHub's 422 shape:
 * `Invalid request.` plus one `errors` entry per field (`missing_field` or `invalid`).
 */
import type { z } from 'zod';
import { ApiError, type ValidationIssue } from './api-error.js';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown, resource: string): z.output<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || undefined;
    const missing = valueAt(body, issue.path) === undefined;
    return {
      resource,
      ...(field ? { field } : {}),
      code: missing ? 'missing_field' : 'invalid',
      ...(missing ? {} : { message: issue.message }),
    };
  });
  const sentences = issues.map((i) =>
    i.code === 'missing_field'
      ? `"${i.field}" wasn't supplied.`
      : `"${i.field ?? 'body'}" is invalid: ${i.message}`,
  );
  throw new ApiError(422, `Invalid request.\n\n${sentences.join('\n')}`, { errors: issues });
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = body;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Reads a positive integer path parameter (`pull_number`, `issue_number`, ids). */
export function intParam(params: Record<string, string>, name: string): number {
  const value = Number(params[name]);
  if (!Number.isInteger(value) || value < 1) throw new ApiError(404, 'Not Found');
  return value;
}
