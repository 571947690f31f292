/**
 * Go's fmt.Sprintf, Sprint and Sprintln for the values templates handle (see go-values.ts):
 * verbs `%v %s %d %q %x %X %o %b %c %t %f %F %e %E %g %G %T %%`, flags `+ - # 0 space`, width
 * and precision (`*` too), and Go's in-band mistakes such as `%!d(string=x)` or `%!s(MISSING)`.
 */
import { formatGoFloatG, formatGoValue, goQuote, goTypeName, isGoMap, sortedKeys } from './go-values.js';

interface Spec {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width: number | undefined;
  precision: number | undefined;
  verb: string;
}

export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let argIndex = 0;
  let i = 0;
  while (i < format.length) {
    const percent = format.indexOf('%', i);
    if (percent === -1) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, percent);
    i = percent + 1;
    const spec: Spec = {
      plus: false,
      minus: false,
      sharp: false,
      zero: false,
      space: false,
      width: undefined,
      precision: undefined,
      verb: '',
    };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '+') spec.plus = true;
      else if (c === '-') spec.minus = true;
      else if (c === '#') spec.sharp = true;
      else if (c === '0') spec.zero = true;
      else if (c === ' ') spec.space = true;
      else break;
    }
    const number = (): number | undefined => {
      if (format[i] === '*') {
        i++;
        const value = args[argIndex++];
        return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
      }
      const match = /^\d+/.exec(format.slice(i));
      if (!match) return undefined;
      i += match[0].length;
      return Number(match[0]);
    };
    spec.width = number();
    if (spec.width !== undefined && spec.width < 0) {
      spec.minus = true;
      spec.width = -spec.width;
    }
    if (format[i] === '.') {
      i++;
      spec.precision = number() ?? 0;
    }
    const verb = [...format.slice(i)][0];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    i += verb.length;
    spec.verb = verb;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argIndex >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(args[argIndex++], spec);
  }
  if (argIndex < args.length) {
    const extra = args.slice(argIndex).map((a) => `${goTypeName(a)}=${formatGoValue(a, false)}`);
    out += `%!(EXTRA ${extra.join(', ')})`;
  }
  return out;
}

/** Go's Sprint: a space between operands when neither is a string. */
export function goSprint(args: readonly unknown[]): string {
  let out = '';
  args.forEach((arg, index) => {
    const previous = args[index - 1];
    if (index > 0 && typeof arg !== 'string' && typeof previous !== 'string') out += ' ';
    out += formatGoValue(arg, false);
  });
  return out;
}

/** Go's Sprintln: spaces between all operands and a final newline. */
export function goSprintln(args: readonly unknown[]): string {
  return `${args.map((a) => formatGoValue(a, false)).join(' ')}\n`;
}

function bad(value: unknown, verb: string): string {
  return `%!${verb}(${goTypeName(value)}=${formatGoValue(value, false)})`;
}

function formatOne(value: unknown, spec: Spec): string {
  const { verb } = spec;
  if (verb === 'T') return pad(goTypeName(value), spec);
  if (verb === 'v' && spec.sharp && typeof value === 'string') return pad(goQuote(value), spec);
  // Lists and maps apply the verb to each element, as Go's fmt does.
  if (Array.isArray(value) && verb !== 'T' && !(verb === 'x' || verb === 'X' || verb === 'q')) {
    return pad(`[${value.map((v) => formatOne(v, { ...spec, width: undefined })).join(' ')}]`, spec);
  }
  if (isGoMap(value) && verb !== 'T') {
    const entries = sortedKeys(value).map(
      (k) =>
        `${formatOne(k, { ...spec, width: undefined })}:${formatOne(value[k], { ...spec, width: undefined })}`,
    );
    return pad(`map[${entries.join(' ')}]`, spec);
  }
  if (value === undefined || value === null) {
    return verb === 'v' || verb === 's' ? pad('<nil>', spec) : `%!${verb}(<nil>)`;
  }
  switch (typeof value) {
    case 'boolean':
      return verb === 'v' || verb === 't' ? pad(String(value), spec) : bad(value, verb);
    case 'string':
      return formatString(value, spec);
    case 'number':
      return Number.isInteger(value) && !'feEgGF'.includes(verb)
        ? formatInteger(value, spec)
        : formatFloat(value, spec);
    default:
      return verb === 'v' || verb === 's' ? pad(formatGoValue(value, false), spec) : bad(value, verb);
  }
}

function formatString(value: string, spec: Spec): string {
  const truncate = (s: string) =>
    spec.precision === undefined ? s : [...s].slice(0, spec.precision).join('');
  switch (spec.verb) {
    case 'v':
    case 's':
      return pad(truncate(value), spec);
    case 'q':
      return pad(spec.sharp && !value.includes('`') ? `\`${value}\`` : goQuote(truncate(value)), spec);
    case 'x':
    case 'X': {
      const hex = Buffer.from(truncate(value), 'utf8').toString('hex');
      const text = spec.verb === 'X' ? hex.toUpperCase() : hex;
      return pad(spec.sharp ? `${spec.verb === 'X' ? '0X' : '0x'}${text}` : text, spec);
    }
    default:
      return bad(value, spec.verb);
  }
}

function formatInteger(value: number, spec: Spec): string {
  const negative = value < 0;
  const magnitude = Math.abs(value);
  let digits: string;
  let prefix = '';
  switch (spec.verb) {
    case 'v':
    case 'd':
      digits = magnitude.toFixed(0);
      break;
    case 'x':
      digits = magnitude.toString(16);
      if (spec.sharp) prefix = '0x';
      break;
    case 'X':
      digits = magnitude.toString(16).toUpperCase();
      if (spec.sharp) prefix = '0X';
      break;
    case 'o':
      digits = magnitude.toString(8);
      if (spec.sharp) prefix = '0';
      break;
    case 'O':
      digits = magnitude.toString(8);
      prefix = '0o';
      break;
    case 'b':
      digits = magnitude.toString(2);
      break;
    case 'c':
      return pad(String.fromCodePoint(value), spec);
    case 'q':
      return pad(`'${String.fromCodePoint(value).replace(/['\\]/, '\\$&')}'`, spec);
    case 'U':
      return pad(`U+${value.toString(16).toUpperCase().padStart(4, '0')}`, spec);
    default:
      return bad(value, spec.verb);
  }
  if (spec.precision !== undefined) digits = digits.padStart(spec.precision, '0');
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return padNumber(sign, prefix + digits, spec);
}

function formatFloat(value: number, spec: Spec): string {
  let text: string;
  const precision = spec.precision;
  switch (spec.verb) {
    case 'v':
    case 'g':
    case 'G':
      text = formatGoFloatG(Math.abs(value), precision ?? -1);
      if (spec.verb === 'G') text = text.toUpperCase();
      break;
    case 'f':
    case 'F':
      text = Number.isFinite(value)
        ? Math.abs(value).toFixed(precision ?? 6)
        : formatGoFloatG(Math.abs(value), -1);
      break;
    case 'e':
    case 'E':
      text = Math.abs(value)
        .toExponential(precision ?? 6)
        .replace(/e([+-])(\d)$/, 'e$10$2');
      if (spec.verb === 'E') text = text.toUpperCase();
      break;
    default:
      return bad(value, spec.verb);
  }
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return padNumber(sign, text, spec);
}

function padNumber(sign: string, body: string, spec: Spec): string {
  const width = spec.width ?? 0;
  if (spec.zero && !spec.minus && spec.precision === undefined && sign.length + body.length < width) {
    return sign + body.padStart(width - sign.length, '0');
  }
  return pad(sign + body, spec);
}

function pad(text: string, spec: Spec): string {
  const width = spec.width ?? 0;
  const length = [...text].length;
  if (length >= width) return text;
  const fill = ' '.repeat(width - length);
  return spec.minus ? text + fill : fill + text;
}
