/**
 * The functions every Go template has (text/template's builtins), with Go's rules: `eq` compares
 * basic values only and refuses an int against a string, `lt` refuses booleans, `index` and
 * `slice` check their bounds, `len` counts a string in bytes. `and` and `or` short-circuit, so
 * the evaluator runs them itself; they are listed here for the parser.
 */
import { goSprint, goSprintf, goSprintln } from './go-format.js';
import { goTypeName, isGoMap, isTrue } from './go-values.js';

export type TemplateFunction = (...args: unknown[]) => unknown;

/** A misuse Go reports without the "error calling f:" prefix (a wrong argument type). */
export class ArgumentError extends Error {}

type BasicKind = 'bool' | 'number' | 'string' | 'nil' | 'other';

function basicKind(value: unknown): BasicKind {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'number';
  if (typeof value === 'string') return 'string';
  return 'other';
}

function eq(first: unknown, ...others: unknown[]): boolean {
  if (others.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(first);
  for (const other of others) {
    const k2 = basicKind(other);
    if (k1 !== k2) {
      if (k1 !== 'nil' && k2 !== 'nil') throw new Error('incompatible types for comparison');
      continue;
    }
    if (k1 === 'other') {
      throw new Error(`non-comparable type ${goTypeName(first)}`);
    }
    if (first === other || (k1 === 'nil' && k2 === 'nil')) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'bool' || k1 === 'other' || k1 === 'nil') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  return (a as number | string) < (b as number | string);
}

function length(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (Array.isArray(value)) return value.length;
  if (value instanceof Map) return value.size;
  if (isGoMap(value)) return Object.keys(value).length;
  if (value === undefined || value === null) throw new Error('len of nil pointer');
  throw new Error(`len of type ${goTypeName(value)}`);
}

function toIndex(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`cannot index ${what} with type ${goTypeName(value)}`);
  }
  return value;
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  let current = item;
  for (const key of indexes) {
    if (current === undefined || current === null) throw new Error('index of untyped nil');
    if (Array.isArray(current) || typeof current === 'string') {
      const i = toIndex(key, 'slice');
      if (i < 0 || i >= current.length) throw new Error(`index out of range: ${i}`);
      current = typeof current === 'string' ? Buffer.from(current, 'utf8')[i] : current[i];
    } else if (current instanceof Map) {
      current = current.has(key) ? current.get(key) : null;
    } else if (isGoMap(current)) {
      if (typeof key !== 'string') throw new Error(`value has type ${goTypeName(key)}; should be string`);
      current = Object.hasOwn(current, key) ? current[key] : null;
    } else {
      throw new Error(`can't index item of type ${goTypeName(current)}`);
    }
  }
  return current;
}

function slice(item: unknown, ...bounds: unknown[]): unknown {
  if (typeof item !== 'string' && !Array.isArray(item)) {
    throw new Error(`can't slice item of type ${goTypeName(item)}`);
  }
  if (bounds.length > 3 || (typeof item === 'string' && bounds.length > 2)) {
    throw new Error(`too many slice indexes: ${bounds.length}`);
  }
  const size = typeof item === 'string' ? Buffer.byteLength(item, 'utf8') : item.length;
  const [from = 0, to = size] = bounds.map((b) => toIndex(b, 'slice'));
  if (from < 0 || to < from || to > size) throw new Error(`index out of range: ${Math.max(to, from)}`);
  return typeof item === 'string'
    ? Buffer.from(item, 'utf8').subarray(from, to).toString('utf8')
    : item.slice(from, to);
}

const htmlEscapes: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&#39;',
  '"': '&#34;',
  '\0': '\uFFFD',
};

/** Go's JSEscapeString: quotes, backslashes, HTML-significant and control characters escaped. */
function jsEscape(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (c === '\\') out += '\\\\';
    else if (c === "'") out += "\\'";
    else if (c === '"') out += '\\"';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code < 0x20 || '<>&='.includes(c))
      out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

/** Go's url.QueryEscape. */
function queryEscape(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (c) => `%${(c.codePointAt(0) as number).toString(16).toUpperCase()}`);
}

export const goBuiltins: Record<string, TemplateFunction> = {
  and: () => undefined,
  or: () => undefined,
  not: (value) => !isTrue(value),
  len: (value) => length(value),
  index: (item, ...keys) => index(item, ...keys),
  slice: (item, ...bounds) => slice(item, ...bounds),
  print: (...args) => goSprint(args),
  println: (...args) => goSprintln(args),
  printf: (format, ...args) => {
    if (typeof format !== 'string')
      throw new ArgumentError(`wrong type for value; expected string; got ${goTypeName(format)}`);
    return goSprintf(format, args);
  },
  eq: (first, ...others) => eq(first, ...others),
  ne: (a, b) => !eq(a, b),
  lt: (a, b) => lt(a, b),
  le: (a, b) => lt(a, b) || eq(a, b),
  gt: (a, b) => !lt(a, b) && !eq(a, b),
  ge: (a, b) => !lt(a, b),
  html: (...args) => goSprint(args).replace(/[<>&'"\0]/g, (c) => htmlEscapes[c] as string),
  js: (...args) => jsEscape(goSprint(args)),
  urlquery: (...args) => queryEscape(goSprint(args)),
  call: (fn, ...args) => {
    if (typeof fn !== 'function') throw new Error(`non-function of type ${goTypeName(fn)}`);
    return (fn as TemplateFunction)(...args);
  },
};
