/**
 * One parser for every flat source of routing configuration: Docker labels
 * (`traefik.http.routers.r.rule`) and KV keys (`traefik/http/routers/r/rule`) are both a list of
 * key paths with string values. The dynamic zod schema says, at each step, which key is meant
 * (case-insensitively, as Traefik's label and KV parsers match struct fields), whether a segment
 * is a list index, and which type the string must become. Each http object (router, service,
 * middleware, servers transport) is then checked against its schema on its own: an object with
 * a bad key is left out with an error naming the label or key; the others are kept.
 */
import type { z } from 'zod';
import { normalizeToSchema } from '../../../src/config/normalize.js';
import { childOf, kindOf, knownKeys } from '../../../src/config/schema-walk.js';
import { suggestClosest } from '../../../src/config/suggest.js';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { dynamicConfigSchema, type HttpObjectKind, httpObjectSchemas } from '../../config/dynamic-schema.js';
import type { HttpMiddlewareType } from '../../config/middleware-types.js';
import { middlewareOptionSchemas } from './middleware-option-schemas.js';

export interface FlatEntry {
  /** The key split into segments, without the root (`traefik`): `['http', 'routers', 'r', 'rule']`. */
  path: readonly string[];
  value: string;
  /** The label or key as the user wrote it, for messages. */
  source: string;
}

export interface FlatConfigResult {
  /** The dynamic configuration, with only the objects that passed their schema. */
  config: { http?: Record<string, Record<string, unknown>> };
  /** One error per bad label or key; each names it and where it came from. */
  errors: AffineurError[];
}

/** The objects under `http`, by kind and name, before their schema check. */
export type FlatHttpTree = Record<string, Record<string, Record<string, unknown>>>;

export interface FlatConfigOrigin {
  /** Where the entries come from, for messages: `container "web-1"`, `etcd key prefix traefik/`. */
  source: string;
  /** What a fix looks like in this source, e.g. a label or a key. */
  noun: 'label' | 'key';
  /**
   * Fills in what the source implies before the objects are checked (Docker: the automatic
   * service, router, rule and server of a container). Returns its own problems.
   */
  complete?: (http: FlatHttpTree) => AffineurError[];
  /** Writes a schema path as this source spells keys (`traefik/http/...`, `traefik.http...`). */
  spell?: (path: readonly (string | number)[]) => string;
}

type Node = Record<string, unknown> | unknown[];

/** Map keys (object names, header names) are user-chosen: only schema keys are matched loosely. */
export function parseFlatConfig(entries: readonly FlatEntry[], origin: FlatConfigOrigin): FlatConfigResult {
  const root: Record<string, unknown> = {};
  const errors: AffineurError[] = [];
  // Each object's labels, by `kind/name`: errors from its schema are reported against them.
  const sourcesOf = new Map<string, { path: (string | number)[]; source: string }[]>();
  const rejected = new Set<string>();

  for (const entry of entries) {
    const placed = place(root, entry, origin);
    if ('error' in placed) {
      errors.push(placed.error);
      const object = objectKey(placed.at);
      if (object) rejected.add(object);
      continue;
    }
    const object = objectKey(placed);
    if (!object) continue;
    const list = sourcesOf.get(object) ?? [];
    list.push({ path: placed, source: entry.source });
    sourcesOf.set(object, list);
  }

  if (origin.complete) {
    root.http ??= {};
    errors.push(...origin.complete(root.http as FlatHttpTree));
  }
  const http = root.http as Record<string, Record<string, unknown>> | undefined;
  const out: FlatConfigResult['config'] = {};
  if (!http) return { config: out, errors };
  out.http = {};
  for (const [kind, objects] of Object.entries(http)) {
    const kept: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(objects)) {
      const key = `${kind}/${name}`;
      if (rejected.has(key)) continue;
      const value = compact(raw);
      const problems = checkObject(kind as HttpObjectKind, value);
      if (problems.length === 0) {
        kept[name] = value;
        continue;
      }
      for (const problem of problems) {
        const culprit = (sourcesOf.get(key) ?? []).find((s) => startsWith(s.path.slice(3), problem.path));
        const path = ['http', kind, name, ...problem.path];
        const spelled = origin.spell ? `${origin.noun} ${origin.spell(path)}` : path.join('.');
        errors.push(
          new AffineurError('AFF_ERR_PROVIDER_FLAT_KEY', `${problem.message}.`, {
            keyPath: `${culprit?.source ?? spelled} (from ${origin.source})`,
            hint: `Fix this ${origin.noun}; ${singular(kind)} "${name}" is left out until then.`,
          }),
        );
      }
    }
    out.http[kind] = kept;
  }
  return { config: out, errors };
}

/** Puts one entry into the tree; returns the schema-spelled path, or the error. */
function place(
  root: Record<string, unknown>,
  entry: FlatEntry,
  origin: FlatConfigOrigin,
): (string | number)[] | { error: AffineurError; at: (string | number)[] } {
  const spelled: (string | number)[] = [];
  const fail = (message: string, hint: string) => ({
    error: new AffineurError('AFF_ERR_PROVIDER_FLAT_KEY', message, {
      keyPath: `${entry.source} (from ${origin.source})`,
      hint,
    }),
    // The object the key belongs to, as far as it could be read: that object is left out.
    at: [...spelled, ...entry.path.slice(spelled.length)],
  });
  const [section] = entry.path;
  if (section === undefined) return fail('this names no option.', `Remove the ${origin.noun}.`);
  if (['tcp', 'udp', 'tls'].includes(section.toLowerCase())) {
    return fail(
      `${section.toLowerCase()} routing configuration is not supported by affineur yet.`,
      `Remove the ${origin.noun}.`,
    );
  }
  let schema: z.ZodType | undefined = dynamicConfigSchema;
  let node: Node = root;
  for (let i = 0; i < entry.path.length; i++) {
    const segment = entry.path[i] as string;
    const last = i === entry.path.length - 1;
    let key: string | number = segment;
    let next: z.ZodType | undefined;
    if (schema === undefined) {
      next = undefined;
    } else if (spelled.length === 3 && spelled[0] === 'http' && spelled[1] === 'middlewares') {
      // The middleware type: its options are typed by the middleware's own schema.
      const type = childOf(schema, segment);
      if (!type) return unknownKey(segment, schema, fail);
      key = type.key;
      next = middlewareOptionSchemas[type.key as HttpMiddlewareType];
    } else {
      const kind = kindOf(schema);
      if (kind === 'array') {
        if (!/^\d+$/.test(segment)) return fail(`"${segment}" is not a list index.`, 'Use 0, 1, 2...');
        key = Number(segment);
        next = childOf(schema, segment)?.schema;
      } else if (kind === 'object' || kind === 'record') {
        const child = childOf(schema, segment);
        if (!child) return unknownKey(segment, schema, fail);
        key = child.key;
        next = child.schema;
      } else {
        // An opaque value (a plugin's options, a key affineur refuses): kept as written, so the
        // schema check names it.
        next = undefined;
      }
    }
    spelled.push(key);
    if (last) {
      const value = next ? normalizeToSchema(entry.value, next, { coerceStrings: true }) : entry.value;
      const container = node as Record<string | number, unknown>;
      const existing = container[key];
      // `compress=true` beside `compress.minResponseBodyBytes=...` only says "enabled".
      if (isPlainEmpty(value) && existing && typeof existing === 'object') return spelled;
      if (existing !== undefined && typeof existing === 'object' && !isEmpty(existing)) {
        return fail('this is set both as a value and as a section.', `Keep one of the two ${origin.noun}s.`);
      }
      container[key] = value;
      return spelled;
    }
    const container = node as Record<string | number, unknown>;
    let child = container[key];
    if (child === undefined || (typeof child === 'object' && child !== null && isEmpty(child))) {
      child = next && kindOf(next) === 'array' ? [] : {};
      container[key] = child;
    } else if (typeof child !== 'object' || child === null) {
      return fail('this is set both as a value and as a section.', `Keep one of the two ${origin.noun}s.`);
    }
    node = child as Node;
    schema = next;
  }
  return spelled;
}

function unknownKey<E>(segment: string, schema: z.ZodType, fail: (message: string, hint: string) => E): E {
  const known = knownKeys(schema);
  const suggestion = suggestClosest(segment, known);
  return fail(
    `unknown option "${segment}".`,
    suggestion ? `Did you mean "${suggestion}"?` : `Known options here: ${known.join(', ')}.`,
  );
}

interface Problem {
  path: (string | number)[];
  message: string;
}

/** The schema problems of one object, with paths relative to it. */
function checkObject(kind: HttpObjectKind, value: unknown): Problem[] {
  const schema = httpObjectSchemas[kind] as z.ZodType | undefined;
  if (!schema) return [];
  const problems: Problem[] = [];
  const result = schema.safeParse(value);
  if (!result.success) problems.push(...result.error.issues.map(toProblem));
  if (kind === 'middlewares' && value && typeof value === 'object') {
    for (const [type, options] of Object.entries(value)) {
      const optionsSchema = middlewareOptionSchemas[type as HttpMiddlewareType];
      const checked = optionsSchema?.safeParse(options ?? {});
      if (checked && !checked.success) {
        problems.push(
          ...checked.error.issues.map((issue) => toProblem({ ...issue, path: [type, ...issue.path] })),
        );
      }
    }
  }
  return problems;
}

function toProblem(issue: z.core.$ZodIssue): Problem {
  const path = issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment));
  const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
  const message =
    issue.code === 'unrecognized_keys'
      ? `unknown option(s) ${issue.keys.join(', ')}`
      : missing
        ? `this required option is missing (${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')})`
        : issue.message;
  return { path, message };
}

/** Index lists written with gaps (`servers/0`, `servers/2`) keep their order, without holes. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== undefined).map(compact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
  }
  return value;
}

function objectKey(path: readonly (string | number)[]): string | undefined {
  if (String(path[0]).toLowerCase() !== 'http' || path.length < 3) return undefined;
  return `${String(path[1])}/${String(path[2])}`;
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return prefix.every((segment, i) => String(path[i]) === String(segment));
}

function isPlainEmpty(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && isEmpty(value);
}

function isEmpty(value: unknown): boolean {
  return Array.isArray(value) ? value.length === 0 : Object.keys(value as object).length === 0;
}

function singular(kind: string): string {
  return kind === 'serversTransports' ? 'servers transport' : kind.replace(/s$/, '');
}
