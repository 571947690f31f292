/**
 * Traefik's circuit-breaker expressions, e.g.
 * `NetworkErrorRatio() > 0.30 || ResponseCodeRatio(500, 600, 0, 600) > 0.25 && LatencyAtQuantileMS(50.0) > 100`.
 * Comparisons of the three metric functions, combined with `&&` (binding tighter), `||` and
 * parentheses, compiled once into a predicate over the metrics.
 */
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { BreakerMetrics } from './breaker-metrics.js';

export type BreakerPredicate = (metrics: BreakerMetrics) => boolean;

type Token =
  | { kind: 'name'; text: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'end'; at: number };

const functions: Record<string, { arity: number; read: (m: BreakerMetrics, args: number[]) => number }> = {
  NetworkErrorRatio: { arity: 0, read: (m) => m.networkErrorRatio() },
  ResponseCodeRatio: {
    arity: 4,
    read: (m, [a, b, c, d]) => m.responseCodeRatio(a as number, b as number, c as number, d as number),
  },
  LatencyAtQuantileMS: { arity: 1, read: (m, [q]) => m.latencyAtQuantileMs(q as number) },
};

const comparisons: Record<string, (a: number, b: number) => boolean> = {
  '>': (a, b) => a > b,
  '<': (a, b) => a < b,
  '>=': (a, b) => a >= b,
  '<=': (a, b) => a <= b,
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

export function compileBreakerExpression(expression: string): BreakerPredicate {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position] as Token;
  const fail = (expected: string, token: Token = peek()): never => {
    const found = token.kind === 'end' ? 'the end' : `"${expression.slice(token.at).split(/\s/)[0]}"`;
    throw new AffineurError(
      'AFF_ERR_CONFIG_INVALID',
      `circuit breaker expression: expected ${expected} at column ${token.at + 1}, found ${found}.`,
      { hint: 'Write comparisons such as `NetworkErrorRatio() > 0.5`, joined with && and ||.' },
    );
  };
  const takeOp = (text: string) => {
    const token = peek();
    if (token.kind === 'op' && token.text === text) {
      position++;
      return true;
    }
    return false;
  };

  const parseOr = (): BreakerPredicate => {
    const parts = [parseAnd()];
    while (takeOp('||')) parts.push(parseAnd());
    return parts.length === 1 ? (parts[0] as BreakerPredicate) : (m) => parts.some((p) => p(m));
  };
  const parseAnd = (): BreakerPredicate => {
    const parts = [parseTerm()];
    while (takeOp('&&')) parts.push(parseTerm());
    return parts.length === 1 ? (parts[0] as BreakerPredicate) : (m) => parts.every((p) => p(m));
  };
  const parseTerm = (): BreakerPredicate => {
    if (takeOp('(')) {
      const inner = parseOr();
      if (!takeOp(')')) fail('")"');
      return inner;
    }
    const name = peek();
    if (name.kind !== 'name') return fail('a function such as NetworkErrorRatio()');
    const fn = functions[name.text];
    if (!fn) return fail(`one of ${Object.keys(functions).join(', ')}`, name);
    position++;
    if (!takeOp('(')) fail('"("');
    const args: number[] = [];
    while (peek().kind === 'number') {
      args.push((peek() as { value: number }).value);
      position++;
      if (!takeOp(',')) break;
    }
    if (!takeOp(')')) fail('a number or ")"');
    if (args.length !== fn.arity) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_INVALID',
        `circuit breaker expression: ${name.text} takes ${fn.arity} argument(s), got ${args.length} at column ${name.at + 1}.`,
      );
    }
    const op = peek();
    const compare = op.kind === 'op' ? comparisons[op.text] : undefined;
    if (!compare) return fail('a comparison (>, <, >=, <=, ==, !=)');
    position++;
    const limit = peek();
    if (limit.kind !== 'number') return fail('a number');
    position++;
    const read = fn.read;
    const value = limit.value;
    return (m) => compare(read(m, args), value);
  };

  const predicate = parseOr();
  if (peek().kind !== 'end') fail('&&, || or the end');
  return predicate;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:([A-Za-z_]\w*)|(-?\d+(?:\.\d*)?|\.\d+)|(&&|\|\||>=|<=|==|!=|[><(),]))/y;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (!match) {
      const column = at + (expression.slice(at).length - expression.slice(at).trimStart().length);
      throw new AffineurError(
        'AFF_ERR_CONFIG_INVALID',
        `circuit breaker expression: unexpected character "${expression[column]}" at column ${column + 1}.`,
      );
    }
    const start = match.index + (match[0].length - match[0].trimStart().length);
    if (match[1]) tokens.push({ kind: 'name', text: match[1], at: start });
    else if (match[2]) tokens.push({ kind: 'number', value: Number(match[2]), at: start });
    else tokens.push({ kind: 'op', text: match[3] as string, at: start });
    at = pattern.lastIndex;
  }
  tokens.push({ kind: 'end', at: expression.length });
  return tokens;
}
