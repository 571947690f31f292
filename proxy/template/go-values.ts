/**
 * JavaScript values seen the way Go templates see theirs: an integral number is an `int`, any
 * other number a `float64`, an array a `[]interface {}`, a plain object a map with string keys,
 * `null` is `nil`, and `undefined` is Go's "no value" (a missing map key).
 */

export type GoMap = Record<string, unknown>;

export function isGoMap(value: unknown): value is GoMap {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Go's name of the value's type, as `%T` and error messages print it. */
export function goTypeName(value: unknown): string {
  if (value === undefined || value === null) return '<nil>';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'float64';
    case 'bigint':
      return 'int64';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'function':
      return 'func';
  }
  if (Array.isArray(value)) return '[]interface {}';
  if (value instanceof Map) return 'map[string]interface {}';
  if (isGoMap(value)) return 'map[string]interface {}';
  return `*${(value as object).constructor?.name ?? 'struct'}`;
}

/** Go's reflect kind of the value, as Sprig's kindOf prints it. */
export function goKindName(value: unknown): string {
  if (value === undefined || value === null) return 'invalid';
  if (Array.isArray(value)) return 'slice';
  if (value instanceof Map || isGoMap(value)) return 'map';
  if (typeof value === 'function') return 'func';
  if (typeof value === 'object') return 'ptr';
  return goTypeName(value);
}

/** Go's truth in `if`, `with`, `and`, `or`, `not`: false, 0, nil and empty things are false. */
export function isTrue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'number':
      return value !== 0;
    case 'bigint':
      return value !== 0n;
    case 'string':
      return value.length > 0;
    case 'function':
      return true;
  }
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  if (isGoMap(value)) return Object.keys(value).length > 0;
  return true;
}

/** Sorted keys, as Go's fmt and `range` order a map. */
export function sortedKeys(map: GoMap): string[] {
  return Object.keys(map).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `%v` (and Go's `print`) of a value. */
export function formatGoValue(value: unknown, top = true): string {
  if (value === undefined) return top ? '<no value>' : '<nil>';
  if (value === null) return '<nil>';
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return formatGoNumber(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'function':
      return `${goTypeName(value)}`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => formatGoValue(v, false)).join(' ')}]`;
  if (value instanceof Map) {
    return `map[${[...value.entries()].map(([k, v]) => `${formatGoValue(k, false)}:${formatGoValue(v, false)}`).join(' ')}]`;
  }
  if (isGoMap(value)) {
    return `map[${sortedKeys(value)
      .map((k) => `${k}:${formatGoValue(value[k], false)}`)
      .join(' ')}]`;
  }
  return `{${Object.values(value as object)
    .map((v) => formatGoValue(v, false))
    .join(' ')}}`;
}

export function formatGoNumber(value: number): string {
  if (Number.isInteger(value)) return Object.is(value, -0) ? '0' : value.toFixed(0);
  return formatGoFloatG(value, -1);
}

/** Go's `%g` (and `%v` of a float64): shortest digits unless a precision is given. */
export function formatGoFloatG(value: number, precision: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const shortest = precision < 0;
  const exponential = shortest ? value.toExponential() : value.toExponential(Math.max(precision, 1) - 1);
  const [mantissa = '', expText = '0'] = exponential.split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  let digits = mantissa.replace(/^-/, '').replace('.', '');
  digits = digits.replace(/0+$/, '') || '0';
  let eprec = shortest ? 6 : Math.max(precision, 1);
  if (!shortest && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= eprec) {
    const frac = digits.slice(1);
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}${frac ? `.${frac}` : ''}`;
}

/** Go's strconv.Quote: a double-quoted string with Go escapes; printable Unicode stays as is. */
export function goQuote(text: string): string {
  let out = '"';
  for (const c of text) {
    const code = c.codePointAt(0) as number;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (c === '\x07') out += '\\a';
    else if (c === '\b') out += '\\b';
    else if (c === '\f') out += '\\f';
    else if (c === '\v') out += '\\v';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}
