/**
 * The retry expressions of the buffering middleware, in Traefik's (oxy's) syntax:
 * `IsNetworkError() && Attempts() < 2`, `ResponseCode() == 503 || RequestMethod() == "GET"`.
 * Functions: IsNetworkError() (the answer is 502 or 504, as oxy decides), Attempts() (answers
 * received so far), ResponseCode(), RequestMethod(). Comparisons (== != < > <= >=), !, &&
 * (binding tighter), || and parentheses. Compiled once into a predicate.
 */
import { AffineurError } from '../../../src/errors/affineur-error.js';

export interface RetryFacts {
  attempts: number;
  responseCode: number;
  method: string;
}

export type RetryPredicate = (facts: RetryFacts) => boolean;

type Value = number | string | boolean;
type Node = (facts: RetryFacts) => Value;

const functions: Record<string, Node> = {
  IsNetworkError: (f) => f.responseCode === 502 || f.responseCode === 504,
  Attempts: (f) => f.attempts,
  ResponseCode: (f) => f.responseCode,
  RequestMethod: (f) => f.method,
};

const comparisons: Record<string, (a: Value, b: Value) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
};

const tokenPattern =
  /\s*(?:(\d+(?:\.\d+)?)|("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[<>!(),]))/y;

export function compileRetryExpression(expression: string): RetryPredicate {
  const tokens: { text: string; kind: 'number' | 'string' | 'name' | 'op'; at: number }[] = [];
  tokenPattern.lastIndex = 0;
  let position = 0;
  while (position < expression.length) {
    if (/^\s*$/.test(expression.slice(position))) break;
    tokenPattern.lastIndex = position;
    const match = tokenPattern.exec(expression);
    if (!match) fail(expression, position, 'a function, number, string or operator');
    const m = match as RegExpExecArray;
    const text = (m[1] ?? m[2] ?? m[3] ?? m[4]) as string;
    const kind =
      m[1] !== undefined ? 'number' : m[2] !== undefined ? 'string' : m[3] !== undefined ? 'name' : 'op';
    tokens.push({ text, kind, at: m.index + m[0].length - text.length });
    position = tokenPattern.lastIndex;
  }
  let i = 0;
  const peek = () => tokens[i];
  const at = () => peek()?.at ?? expression.length;
  const take = (text: string) => {
    if (peek()?.kind === 'op' && peek()?.text === text) {
      i++;
      return true;
    }
    return false;
  };
  const parseOr = (): Node => {
    let left = parseAnd();
    while (take('||')) {
      const a = left;
      const b = parseAnd();
      left = (f) => Boolean(a(f)) || Boolean(b(f));
    }
    return left;
  };
  const parseAnd = (): Node => {
    let left = parseNot();
    while (take('&&')) {
      const a = left;
      const b = parseNot();
      left = (f) => Boolean(a(f)) && Boolean(b(f));
    }
    return left;
  };
  const parseNot = (): Node => {
    if (take('!')) {
      const inner = parseNot();
      return (f) => !inner(f);
    }
    return parseComparison();
  };
  const parseComparison = (): Node => {
    const left = parseOperand();
    const op = peek();
    if (op?.kind === 'op' && op.text in comparisons) {
      i++;
      const right = parseOperand();
      const compare = comparisons[op.text] as (a: Value, b: Value) => boolean;
      return (f) => compare(left(f), right(f));
    }
    return left;
  };
  const parseOperand = (): Node => {
    const token = peek();
    if (!token) return fail(expression, at(), 'an operand');
    if (take('(')) {
      const inner = parseOr();
      if (!take(')')) fail(expression, at(), '")"');
      return inner;
    }
    i++;
    if (token.kind === 'number') {
      const value = Number(token.text);
      return () => value;
    }
    if (token.kind === 'string') {
      const value = JSON.parse(token.text) as string;
      return () => value;
    }
    if (token.kind === 'name') {
      const fn = functions[token.text];
      if (!fn) {
        return fail(expression, token.at, `one of ${Object.keys(functions).join(', ')}`, `"${token.text}"`);
      }
      if (!take('(') || !take(')')) fail(expression, at(), `"()" after ${token.text}`);
      return fn;
    }
    return fail(expression, token.at, 'an operand', `"${token.text}"`);
  };
  const root = parseOr();
  if (i < tokens.length) fail(expression, at(), '&&, || or the end');
  return (facts) => Boolean(root(facts));
}

function fail(expression: string, column: number, expected: string, found?: string): never {
  const what =
    found ?? (column >= expression.length ? 'the end' : `"${expression.slice(column, column + 12)}"`);
  throw new AffineurError(
    'AFF_ERR_CONFIG_INVALID',
    `retry expression: expected ${expected} at column ${column + 1}, found ${what}.`,
    { hint: 'Write conditions such as `IsNetworkError() && Attempts() < 2`.' },
  );
}
