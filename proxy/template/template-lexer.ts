/**
 * The lexer of Go's `text/template`: text between actions, and the tokens inside `{{ }}`.
 * Trim markers (`{{- ` and ` -}}`, a dash next to the delimiter and whitespace on its other side)
 * are applied here, to the neighbouring text, as Go does. Comments (slash-star inside the braces) produce nothing.
 */
import { TemplateError } from './template-error.js';

export type TokenKind =
  | 'text'
  | 'open'
  | 'close'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'string'
  | 'number'
  | 'char'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'leftParen'
  | 'rightParen'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** The token's text; for `field` without the dot, for `string` the unquoted value. */
  value: string;
  /** Offset in the source, for line and column in errors. */
  pos: number;
  /** Whitespace came right before it: `.a .b` is two operands, `.a.b` one chain. */
  spaceBefore: boolean;
}

const keywords = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

export function lexTemplate(source: string, name: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const fail = (at: number, message: string): never => {
    throw new TemplateError(message, name, source, at);
  };

  while (pos < source.length) {
    const open = source.indexOf('{{', pos);
    const textEnd = open === -1 ? source.length : open;
    let text = source.slice(pos, textEnd);
    const trimLeft = open !== -1 && source[open + 2] === '-' && isSpace(source[open + 3]);
    if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
    if (text) tokens.push({ kind: 'text', value: text, pos, spaceBefore: false });
    if (open === -1) break;

    pos = open + 2 + (trimLeft ? 2 : 0);
    while (isSpace(source[pos])) pos++;
    // A comment fills the whole action: `{{/* ... */}}`, with optional trim markers.
    if (source.startsWith('/*', pos)) {
      const end = source.indexOf('*/', pos + 2);
      if (end === -1) fail(open, 'unclosed comment');
      pos = end + 2;
      const trimRight = closesWithTrim(source, pos);
      if (trimRight !== undefined) pos = trimRight;
      else if (source.startsWith('}}', pos)) pos += 2;
      else fail(open, 'comment ends before closing delimiter');
      if (trimRight !== undefined) pos = skipSpaces(source, pos);
      continue;
    }
    tokens.push({ kind: 'open', value: '{{', pos: open, spaceBefore: false });
    pos = lexAction(source, pos, tokens, fail, open);
  }
  tokens.push({ kind: 'eof', value: '', pos: source.length, spaceBefore: false });
  return tokens;
}

/** After ` -}}` at `pos` (whitespace, dash, delimiter), the offset past the delimiter. */
function closesWithTrim(source: string, pos: number): number | undefined {
  let at = pos;
  if (!isSpace(source[at])) return undefined;
  while (isSpace(source[at])) at++;
  return source.startsWith('-}}', at) ? at + 3 : undefined;
}

function skipSpaces(source: string, pos: number): number {
  let at = pos;
  while (isSpace(source[at])) at++;
  return at;
}

/** Lexes one action from `pos` to its `}}`; returns the offset after it (and after trimmed space). */
function lexAction(
  source: string,
  start: number,
  tokens: Token[],
  fail: (at: number, message: string) => never,
  open: number,
): number {
  let pos = start;
  let spaceBefore = true;
  let parens = 0;
  const push = (kind: TokenKind, value: string, at: number) => {
    tokens.push({ kind, value, pos: at, spaceBefore });
    spaceBefore = false;
  };
  for (;;) {
    const c = source[pos];
    if (c === undefined) fail(open, 'unclosed action');
    if (isSpace(c)) {
      const trimmed = closesWithTrim(source, pos);
      if (trimmed !== undefined) {
        if (parens > 0) fail(pos, 'unclosed left paren');
        tokens.push({ kind: 'close', value: '}}', pos, spaceBefore: true });
        return skipSpaces(source, trimmed);
      }
      pos++;
      spaceBefore = true;
      continue;
    }
    if (source.startsWith('}}', pos)) {
      if (parens > 0) fail(pos, 'unclosed left paren');
      tokens.push({ kind: 'close', value: '}}', pos, spaceBefore });
      return pos + 2;
    }
    const at = pos;
    if (c === '(') {
      parens++;
      push('leftParen', c, at);
      pos++;
    } else if (c === ')') {
      parens--;
      if (parens < 0) fail(at, 'unexpected right paren');
      push('rightParen', c, at);
      pos++;
    } else if (c === '|') {
      push('pipe', c, at);
      pos++;
    } else if (c === ',') {
      push('comma', c, at);
      pos++;
    } else if (c === ':') {
      if (source[pos + 1] !== '=') fail(at, 'expected :=');
      push('declare', ':=', at);
      pos += 2;
    } else if (c === '=') {
      push('assign', '=', at);
      pos++;
    } else if (c === '"') {
      const end = scanQuoted(source, pos, '"', fail);
      push('string', unquoteGo(source.slice(pos, end), at, fail), at);
      pos = end;
    } else if (c === '`') {
      const end = source.indexOf('`', pos + 1);
      if (end === -1) fail(at, 'unterminated raw quoted string');
      push('string', source.slice(pos + 1, end).replaceAll('\r', ''), at);
      pos = end + 1;
    } else if (c === "'") {
      const end = scanQuoted(source, pos, "'", fail);
      const value = unquoteGo(`"${source.slice(pos + 1, end - 1).replaceAll('"', '\\"')}"`, at, fail);
      const chars = [...value];
      if (chars.length !== 1) fail(at, `malformed character constant: ${source.slice(pos, end)}`);
      push('char', String((chars[0] as string).codePointAt(0)), at);
      pos = end;
    } else if (c === '$') {
      let end = pos + 1;
      while (isAlnum(source[end])) end++;
      push('variable', source.slice(pos, end), at);
      pos = end;
    } else if (c === '.' && !/[0-9]/.test(source[pos + 1] ?? '')) {
      let end = pos + 1;
      while (isAlnum(source[end])) end++;
      if (end === pos + 1) push('dot', '.', at);
      else push('field', source.slice(pos + 1, end), at);
      pos = end;
    } else if (/[0-9.]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(source[pos + 1] ?? ''))) {
      const match =
        /^[+-]?(0[xX][0-9a-fA-F_]+(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*\.?[0-9_]*([eE][+-]?[0-9_]+)?)/.exec(
          source.slice(pos),
        );
      const text = match?.[0] ?? '';
      if (!text || isAlnum(source[pos + text.length])) {
        let end = pos + text.length;
        while (isAlnum(source[end]) || source[end] === '.') end++;
        fail(at, `bad number syntax: "${source.slice(pos, end)}"`);
      }
      push('number', text, at);
      pos += text.length;
    } else if (isAlnum(c)) {
      let end = pos;
      while (isAlnum(source[end])) end++;
      const word = source.slice(pos, end);
      if (word === 'true' || word === 'false') push('bool', word, at);
      else if (word === 'nil') push('nil', word, at);
      else if (keywords.has(word)) push('keyword', word, at);
      else push('identifier', word, at);
      pos = end;
    } else {
      fail(at, `unrecognized character in action: ${JSON.stringify(c)}`);
    }
  }
}

function scanQuoted(
  source: string,
  start: number,
  quote: string,
  fail: (at: number, message: string) => never,
): number {
  let pos = start + 1;
  for (;;) {
    const c = source[pos];
    if (c === undefined || c === '\n')
      fail(start, `unterminated ${quote === '"' ? 'quoted string' : 'character constant'}`);
    if (c === '\\') pos += 2;
    else if (c === quote) return pos + 1;
    else pos++;
  }
}

const simpleEscapes: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Go's strconv.Unquote for an interpreted string literal. */
function unquoteGo(literal: string, at: number, fail: (at: number, message: string) => never): string {
  const body = literal.slice(1, -1);
  let out = '';
  const bytes: number[] = [];
  const flushBytes = () => {
    if (bytes.length > 0) out += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      flushBytes();
      out += c;
      continue;
    }
    const e = body[i + 1] ?? '';
    const simple = simpleEscapes[e];
    if (simple !== undefined) {
      flushBytes();
      out += simple;
      i++;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const size = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + size);
      if (!new RegExp(`^[0-9a-fA-F]{${size}}$`).test(hex)) fail(at, `invalid syntax in string ${literal}`);
      if (e === 'x') bytes.push(Number.parseInt(hex, 16));
      else {
        flushBytes();
        out += String.fromCodePoint(Number.parseInt(hex, 16));
      }
      i += 1 + size;
    } else if (/[0-7]/.test(e)) {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) fail(at, `invalid syntax in string ${literal}`);
      bytes.push(Number.parseInt(oct, 8));
      i += 3;
    } else {
      fail(at, `invalid syntax in string ${literal}`);
    }
  }
  flushBytes();
  return out;
}
