/**
 * The Sprig functions that Traefik gives its file-provider templates and that its users reach
 * for, with Sprig's argument order (`replace old new src`, `join sep list`) and Traefik's own
 * overrides (`split s sep` returns a list, `normalize`). Names not here fail at parse time with
 * "function not defined", as an unknown function does in Go.
 */
import { createHash } from 'node:crypto';
import { RE2JS } from 're2js';
import { ArgumentError, type TemplateFunction } from './go-builtins.js';
import { formatGoValue, goKindName, goQuote, goTypeName, isGoMap, isTrue } from './go-values.js';

function expectString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) throw new ArgumentError('invalid value; expected string');
  throw new ArgumentError(`wrong type for value; expected string; got ${goTypeName(value)}`);
}

function expectInt(value: unknown): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (value === undefined || value === null) throw new ArgumentError('invalid value; expected int');
  throw new ArgumentError(`wrong type for value; expected int; got ${goTypeName(value)}`);
}

/** Sprig's toInt64 family: numbers, numeric strings and booleans become integers; the rest 0. */
function toInt(value: unknown): number {
  if (typeof value === 'number') return Math.trunc(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const parsed = Number(value.trim());
    return Number.isFinite(parsed) ? Math.trunc(parsed) : 0;
  }
  return 0;
}

function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  throw new Error(`cannot convert ${goTypeName(value)} to a list`);
}

/** Sprig's strval/strslice: how `join` and `cat` turn values into strings. */
function toText(value: unknown): string {
  return typeof value === 'string' ? value : formatGoValue(value, false);
}

/** Sprig's `empty`: nil, false, 0, "" and empty collections. */
function isEmpty(value: unknown): boolean {
  return !isTrue(value);
}

/**
 * A template renders a config file: a list this long is a mistake (`until 1e9`), and would
 * take the proxy's memory with it.
 */
const maxGeneratedItems = 1_000_000;

/** Sprig's untilStep: integers from start towards stop (excluded), by step. */
function untilStep(start: number, stop: number, step: number): number[] {
  if (step !== 0 && Math.abs((stop - start) / step) > maxGeneratedItems) {
    throw new Error(`more than ${maxGeneratedItems} numbers asked for`);
  }
  const out: number[] = [];
  if (stop < start) {
    if (step >= 0) return out;
    for (let i = start; i > stop; i += step) out.push(i);
    return out;
  }
  if (step <= 0) return out;
  for (let i = start; i < stop; i += step) out.push(i);
  return out;
}

/** Sprig's seq: the numbers bash's `seq` prints, joined by spaces. */
function seq(...params: number[]): string {
  const join = (values: number[]) => values.join(' ');
  const [a = 0, b = 0, c = 0] = params;
  switch (params.length) {
    case 1: {
      const increment = a < 1 ? -1 : 1;
      return join(untilStep(1, a + increment, increment));
    }
    case 2: {
      const step = b < a ? -1 : 1;
      return join(untilStep(a, b + step, step));
    }
    case 3: {
      let increment = 1;
      if (c < a) {
        increment = -1;
        if (b > 0) return '';
      }
      return join(untilStep(a, c + increment, b));
    }
    default:
      return '';
  }
}

/** Traefik's provider.Normalize: runs of non-letters and non-digits become one dash. */
export function normalizeName(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part !== '')
    .join('-');
}

/**
 * Sprig's regex functions use Go's RE2 syntax; re2js matches it in linear time, as the rule
 * matchers do, so a pattern in a config file cannot hang the proxy.
 */
function goRegexp(pattern: unknown): RE2JS {
  const source = expectString(pattern);
  try {
    return RE2JS.compile(source);
  } catch (error) {
    throw new Error(`invalid regular expression ${JSON.stringify(source)}: ${(error as Error).message}`);
  }
}

/** Words of a name for kebabcase and snakecase: `myAppName`, `my app` and `my_app` alike. */
function words(text: string): string[] {
  return text
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
}

/** Sprig's merge (mergo without overwrite): keys missing from `target` are copied, maps deeply. */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    if (existing === undefined || existing === null) target[key] = value;
    else if (isGoMap(existing) && isGoMap(value)) mergeInto(existing, value);
  }
}

function indent(spaces: number, text: string): string {
  const pad = ' '.repeat(spaces);
  return pad + text.replaceAll('\n', `\n${pad}`);
}

export const sprigFunctions: Record<string, TemplateFunction> = {
  // Environment.
  env: (name) => process.env[expectString(name)] ?? '',
  expandenv: (text) =>
    expectString(text).replace(/\$\{(\w+)\}|\$(\w+)/g, (_m, a, b) => process.env[a ?? b] ?? ''),
  // Defaults and logic.
  default: (fallback, ...given) => (given.length === 0 || isEmpty(given[0]) ? fallback : given[0]),
  empty: (value) => isEmpty(value),
  coalesce: (...values) => values.find((v) => !isEmpty(v)) ?? null,
  ternary: (yes, no, condition) => (condition === true ? yes : no),
  // Strings.
  lower: (s) => expectString(s).toLowerCase(),
  upper: (s) => expectString(s).toUpperCase(),
  title: (s) =>
    expectString(s).replace(/(^|[^\p{L}\p{N}'])(\p{L})/gu, (_m, p, c: string) => p + c.toUpperCase()),
  trim: (s) => expectString(s).trim(),
  trimAll: (cutset, s) => {
    const set = new Set(expectString(cutset));
    const chars = [...expectString(s)];
    let start = 0;
    let end = chars.length;
    while (start < end && set.has(chars[start] as string)) start++;
    while (end > start && set.has(chars[end - 1] as string)) end--;
    return chars.slice(start, end).join('');
  },
  trimPrefix: (prefix, s) => {
    const text = expectString(s);
    const p = expectString(prefix);
    return text.startsWith(p) ? text.slice(p.length) : text;
  },
  trimSuffix: (suffix, s) => {
    const text = expectString(s);
    const x = expectString(suffix);
    return x && text.endsWith(x) ? text.slice(0, -x.length) : text;
  },
  trunc: (count, s) => {
    const n = expectInt(count);
    const text = expectString(s);
    if (n < 0) return text.length + n > 0 ? text.slice(text.length + n) : text;
    return text.slice(0, n);
  },
  replace: (old, replacement, src) =>
    expectString(src).replaceAll(expectString(old), () => expectString(replacement)),
  repeat: (count, s) => {
    const text = expectString(s);
    const times = Math.max(0, expectInt(count));
    if (text.length * times > maxGeneratedItems * 16)
      throw new Error('the repeated string would be too long');
    return text.repeat(times);
  },
  contains: (needle, s) => expectString(s).includes(expectString(needle)),
  hasPrefix: (prefix, s) => expectString(s).startsWith(expectString(prefix)),
  hasSuffix: (suffix, s) => expectString(s).endsWith(expectString(suffix)),
  quote: (...values) =>
    values
      .filter((v) => v !== null && v !== undefined)
      .map((v) => goQuote(toText(v)))
      .join(' '),
  squote: (...values) =>
    values
      .filter((v) => v !== null && v !== undefined)
      .map((v) => `'${toText(v)}'`)
      .join(' '),
  cat: (...values) =>
    values
      .filter((v) => v !== null && v !== undefined)
      .map(toText)
      .join(' '),
  nospace: (s) => expectString(s).replace(/\s+/gu, ''),
  indent: (spaces, s) => indent(expectInt(spaces), expectString(s)),
  nindent: (spaces, s) => `\n${indent(expectInt(spaces), expectString(s))}`,
  // Traefik's split: strings.Split(s, sep), a list (Sprig's own split returns a map).
  split: (s, sep) => {
    const text = expectString(s);
    const separator = expectString(sep);
    return separator === '' ? [...text] : text.split(separator);
  },
  splitList: (sep, s) => expectString(s).split(expectString(sep)),
  join: (sep, list) => {
    const separator = expectString(sep);
    if (typeof list === 'string') return list;
    return toList(list)
      .filter((v) => v !== null && v !== undefined)
      .map(toText)
      .join(separator);
  },
  normalize: (s) => normalizeName(expectString(s)),
  substr: (start, end, s) => {
    const text = expectString(s);
    const from = toInt(start);
    const to = toInt(end);
    if (from < 0) return text.slice(0, Math.max(0, to));
    if (to < 0 || to > text.length) return text.slice(from);
    return text.slice(from, to);
  },
  splitn: (sep, n, s) => {
    const parts = expectString(s).split(expectString(sep));
    const count = toInt(n);
    const kept =
      count > 0 && parts.length > count
        ? [...parts.slice(0, count - 1), parts.slice(count - 1).join(expectString(sep))]
        : parts;
    return Object.fromEntries(kept.map((part, i) => [`_${i}`, part]));
  },
  kebabcase: (s) => words(expectString(s)).join('-'),
  snakecase: (s) => words(expectString(s)).join('_'),
  camelcase: (s) =>
    expectString(s)
      .split(/[_\s]+/)
      .filter(Boolean)
      .map((w) => (w[0] as string).toUpperCase() + w.slice(1))
      .join(''),
  regexFind: (pattern, s) => {
    const matcher = goRegexp(pattern).matcher(expectString(s));
    return matcher.find() ? (matcher.group() ?? '') : '';
  },
  regexFindAll: (pattern, s, n) => {
    const matcher = goRegexp(pattern).matcher(expectString(s));
    const count = toInt(n);
    const all: string[] = [];
    while ((count < 0 || all.length < count) && matcher.find()) all.push(matcher.group() ?? '');
    return all;
  },
  regexSplit: (pattern, s, n) => {
    const count = toInt(n);
    if (count === 0) return [];
    return goRegexp(pattern).split(expectString(s), count < 0 ? -1 : count);
  },
  fail: (message) => {
    throw new Error(toText(message));
  },
  typeOf: (value: unknown) => goTypeName(value),
  kindOf: (value: unknown) => goKindName(value),
  toString: (value: unknown) => toText(value),
  atoi: (s) => {
    const parsed = Number.parseInt(expectString(s), 10);
    return Number.isNaN(parsed) ? 0 : parsed;
  },
  int: (value) => toInt(value),
  int64: (value) => toInt(value),
  float64: (value) => (typeof value === 'number' ? value : Number(toText(value)) || 0),
  // Integer math, as Sprig's (arguments converted with toInt64).
  add: (...values) => values.reduce<number>((sum, v) => sum + toInt(v), 0),
  add1: (value) => toInt(value) + 1,
  sub: (a, b) => toInt(a) - toInt(b),
  mul: (...values) => values.reduce<number>((product, v) => product * toInt(v), 1),
  div: (a, b) => {
    const divisor = toInt(b);
    if (divisor === 0) throw new Error('integer divide by zero');
    return Math.trunc(toInt(a) / divisor);
  },
  mod: (a, b) => {
    const divisor = toInt(b);
    if (divisor === 0) throw new Error('integer divide by zero');
    return toInt(a) % divisor;
  },
  max: (first, ...rest) => rest.reduce<number>((m, v) => Math.max(m, toInt(v)), toInt(first)),
  min: (first, ...rest) => rest.reduce<number>((m, v) => Math.min(m, toInt(v)), toInt(first)),
  // Sequences.
  until: (count) => {
    const n = expectInt(count);
    return untilStep(0, n, n < 0 ? -1 : 1);
  },
  untilStep: (start, stop, step) => untilStep(expectInt(start), expectInt(stop), expectInt(step)),
  seq: (...params) => seq(...params.map(expectInt)),
  // Lists.
  list: (...values) => values,
  first: (list) => toList(list)[0] ?? null,
  last: (list) => toList(list).at(-1) ?? null,
  rest: (list) => toList(list).slice(1),
  initial: (list) => toList(list).slice(0, -1),
  append: (list, value) => [...toList(list), value],
  prepend: (list, value) => [value, ...toList(list)],
  has: (needle, list) => toList(list).includes(needle),
  uniq: (list) => [...new Set(toList(list))],
  compact: (list) => toList(list).filter((v) => !isEmpty(v)),
  reverse: (list) => [...toList(list)].reverse(),
  sortAlpha: (list) => toList(list).map(toText).sort(),
  without: (list, ...omitted) => toList(list).filter((v) => !omitted.includes(v)),
  toStrings: (list) => toList(list).map(toText),
  // Dictionaries.
  dict: (...pairs) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < pairs.length; i += 2)
      out[toText(pairs[i])] = i + 1 < pairs.length ? pairs[i + 1] : '';
    return out;
  },
  get: (map, key) => (isGoMap(map) && Object.hasOwn(map, expectString(key)) ? map[expectString(key)] : ''),
  set: (map, key, value) => {
    if (!isGoMap(map))
      throw new ArgumentError(
        `wrong type for value; expected map[string]interface {}; got ${goTypeName(map)}`,
      );
    map[expectString(key)] = value;
    return map;
  },
  hasKey: (map, key) => isGoMap(map) && Object.hasOwn(map, expectString(key)),
  keys: (...maps) => maps.flatMap((m) => (isGoMap(m) ? Object.keys(m) : [])),
  values: (map) => (isGoMap(map) ? Object.values(map) : []),
  pick: (map, ...keys) =>
    isGoMap(map)
      ? Object.fromEntries(
          keys
            .map(toText)
            .filter((k) => Object.hasOwn(map, k))
            .map((k) => [k, map[k]]),
        )
      : {},
  omit: (map, ...keys) => {
    const dropped = new Set(keys.map(toText));
    return isGoMap(map) ? Object.fromEntries(Object.entries(map).filter(([k]) => !dropped.has(k))) : {};
  },
  // Sprig's merge: the first map wins; it is also the one changed and returned.
  merge: (target, ...sources) => {
    if (!isGoMap(target))
      throw new ArgumentError(
        `wrong type for value; expected map[string]interface {}; got ${goTypeName(target)}`,
      );
    for (const source of sources) if (isGoMap(source)) mergeInto(target, source);
    return target;
  },
  // Encodings.
  b64enc: (s) => Buffer.from(expectString(s), 'utf8').toString('base64'),
  b64dec: (s) => Buffer.from(expectString(s), 'base64').toString('utf8'),
  sha256sum: (s) => createHash('sha256').update(expectString(s)).digest('hex'),
  toJson: (value) => JSON.stringify(value ?? null),
  toPrettyJson: (value) => JSON.stringify(value ?? null, null, 2),
  fromJson: (text) => {
    try {
      return JSON.parse(expectString(text));
    } catch {
      return {};
    }
  },
  regexMatch: (pattern, s) => goRegexp(pattern).test(expectString(s)),
  // Go's `${1}` and `${name}` in the replacement are re2js' `$1` and `$<name>`.
  regexReplaceAll: (pattern, s, replacement) =>
    goRegexp(pattern)
      .matcher(expectString(s))
      .replaceAll(
        expectString(replacement).replace(/\$\{(\w+)\}/g, (_m, name: string) =>
          /^\d+$/.test(name) ? `$${name}` : `$<${name}>`,
        ),
      ),
};
