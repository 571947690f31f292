/**
 * Validates forge responses against GitHub's published OpenAPI description (the GHES 3.19
 * document from @octokit/openapi, since the forge serves the GHE `/api/v3` shape). OpenAPI 3.0
 * is not quite JSON Schema: `nullable: true` is rewritten into a `null` type, and component
 * references are re-pointed into one shared schema registered with Ajv.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

type Json = Record<string, unknown>;
const require = createRequire(import.meta.url);

function convert(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert);
  if (typeof node !== 'object' || node === null) return node;
  const source = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(source)) {
    if (
      key === 'nullable' ||
      key === 'example' ||
      key === 'examples' ||
      key.startsWith('x-') ||
      key === 'discriminator'
    )
      continue;
    // GitHub writes `oneOf` where alternatives overlap (e.g. `basic-error` and a richer error):
    // a body matching both is valid for GitHub, so the alternatives are read as `anyOf`.
    if (key === 'oneOf') {
      out.anyOf = convert(value);
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.replace('#/components/schemas/', 'openapi#/definitions/');
      continue;
    }
    out[key] =
      key === 'properties' || key === 'patternProperties'
        ? Object.fromEntries(Object.entries(value as Json).map(([k, v]) => [k, convert(v)]))
        : convert(value);
  }
  if (source.nullable === true) {
    if (typeof out.type === 'string') {
      out.type = [out.type, 'null'];
      if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    } else {
      return { anyOf: [out, { type: 'null' }] };
    }
  }
  return out;
}

interface ResponseObject {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
}

interface Operation {
  responses?: Record<string, ResponseObject>;
}

export interface OpenApiValidator {
  /** Throws with every mismatch when `body` is not what GitHub documents for this route and status. */
  check(method: string, path: string, status: number, body: unknown): void;
  /**
   * Checks an error response: against the documented schema when GitHub documents one for the
   * status, else against GitHub's generic `basic-error` (GitHub sends that body even where the
   * description lists no content).
   */
  checkError(method: string, path: string, status: number, body: unknown): void;
  /** Whether GitHub documents this route at all. */
  documents(method: string, path: string): boolean;
}

export function createOpenApiValidator(): OpenApiValidator {
  const file = require.resolve('@octokit/openapi/generated/ghes-3.19.json');
  const doc = JSON.parse(readFileSync(file, 'utf8')) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Json; responses: Record<string, ResponseObject> };
  };
  // Shared responses (`not_found`, `conflict`, ...) are referenced from operations.
  const responseFor = (operation: Operation | undefined, status: number): ResponseObject | undefined => {
    const found = operation?.responses?.[String(status)];
    const ref = found?.$ref?.replace('#/components/responses/', '');
    return ref ? doc.components.responses[ref] : found;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, validateSchema: false });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  ajv.addSchema({ $id: 'openapi', definitions: convert(doc.components.schemas) as Json });
  const cache = new Map<string, ValidateFunction>();
  const basicError = ajv.compile({ $ref: 'openapi#/definitions/basic-error' });
  const validationError = ajv.compile({ $ref: 'openapi#/definitions/validation-error' });

  const report = (key: string, validate: ValidateFunction) => {
    const problems = (validate.errors ?? [])
      .slice(0, 15)
      .map((e) => `  ${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`)
      .join('\n');
    return new Error(`${key}: response does not match GitHub's schema:\n${problems}`);
  };

  return {
    checkError(method, path, status, body) {
      const operation = doc.paths[path]?.[method.toLowerCase()];
      const documented = responseFor(operation, status)?.content?.['application/json']?.schema;
      if (documented) {
        this.check(method, path, status, body);
        return;
      }
      const validate = status === 422 ? validationError : basicError;
      if (!validate(body)) throw report(`${method} ${path} ${status}`, validate);
    },
    documents: (method, path) => doc.paths[path]?.[method.toLowerCase()] !== undefined,
    check(method, path, status, body) {
      const operation = doc.paths[path]?.[method.toLowerCase()];
      if (!operation) throw new Error(`GitHub does not document ${method} ${path}`);
      const response = responseFor(operation, status);
      if (!response) throw new Error(`GitHub does not document status ${status} for ${method} ${path}`);
      const schema = response.content?.['application/json']?.schema;
      if (!schema) {
        if (body !== undefined && body !== '' && body !== null) {
          throw new Error(
            `${method} ${path} ${status}: GitHub documents no body, got ${JSON.stringify(body).slice(0, 200)}`,
          );
        }
        return;
      }
      const key = `${method} ${path} ${status}`;
      let validate = cache.get(key);
      if (!validate) {
        validate = ajv.compile(convert(schema) as Json);
        cache.set(key, validate);
      }
      if (!validate(body)) throw report(key, validate);
    },
  };
}
