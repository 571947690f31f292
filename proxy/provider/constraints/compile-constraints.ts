/**
 * Traefik's constraints language, which decides from an object's labels (container labels,
 * service tags) whether a provider takes it: `Label(`key`, `value`)`,
 * `LabelRegex(`key`, `regexp`)`, combined with `&&`, `||`, `!` and parentheses. `!` binds
 * tighter than `&&`, which binds tighter than `||`. Regexps are Go's RE2 syntax, unanchored like
 * Go's MatchString, run on re2js as in rules. The expression is compiled once, at start.
 */
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { compileGoRegexp } from '../../rules/go-regexp.js';

export type Labels = Readonly<Record<string, string>>;
export type ConstraintMatcher = (labels: Labels) => boolean;

type Token =
  | { type: 'ident'; value: string; at: number }
  | { type: 'string'; value: string; at: number }
  | { type: '(' | ')' | ',' | '&&' | '||' | '!' | 'end'; at: number };

/** Compiles an expression; an empty one matches everything. Throws AFF_ERR_PROVIDER_CONSTRAINT. */
export function compileConstraints(expression: string, keyPath: string): ConstraintMatcher {
  if (expression.trim() === '') return () => true;
  const fail = (message: string, at: number): never => {
    throw new AffineurError(
      'AFF_ERR_PROVIDER_CONSTRAINT',
      `${message} at column ${at + 1} of ${JSON.stringify(expression)}.`,
      {
        keyPath,
        hint: 'Write it as Traefik does, e.g. Label(`a`, `b`) && !LabelRegex(`c`, `d.*`).',
      },
    );
  };
  const tokens = tokenize(expression, fail);
  let position = 0;
  const peek = () => tokens[position] as Token;
  const take = (type: Token['type']): Token => {
    const token = peek();
    if (token.type !== type)
      fail(`expected ${type === 'end' ? 'the end' : `"${type}"`}, found ${describe(token)}`, token.at);
    position++;
    return token;
  };

  const parseOr = (): ConstraintMatcher => {
    let left = parseAnd();
    while (peek().type === '||') {
      position++;
      const a = left;
      const b = parseAnd();
      left = (labels) => a(labels) || b(labels);
    }
    return left;
  };
  const parseAnd = (): ConstraintMatcher => {
    let left = parseUnary();
    while (peek().type === '&&') {
      position++;
      const a = left;
      const b = parseUnary();
      left = (labels) => a(labels) && b(labels);
    }
    return left;
  };
  const parseUnary = (): ConstraintMatcher => {
    const token = peek();
    if (token.type === '!') {
      position++;
      const inner = parseUnary();
      return (labels) => !inner(labels);
    }
    if (token.type === '(') {
      position++;
      const inner = parseOr();
      take(')');
      return inner;
    }
    if (token.type !== 'ident')
      return fail(`expected Label(...) or LabelRegex(...), found ${describe(token)}`, token.at);
    position++;
    take('(');
    const args: string[] = [];
    for (;;) {
      const arg = peek();
      if (arg.type !== 'string') fail(`expected a quoted argument, found ${describe(arg)}`, arg.at);
      args.push((arg as { value: string }).value);
      position++;
      if (peek().type !== ',') break;
      position++;
    }
    take(')');
    return matcher(token.value, args, token.at, fail);
  };

  const compiled = parseOr();
  take('end');
  return compiled;
}

function matcher(
  name: string,
  args: string[],
  at: number,
  fail: (message: string, at: number) => never,
): ConstraintMatcher {
  if (args.length !== 2) fail(`${name} takes 2 arguments, found ${args.length}`, at);
  const [key, value] = args as [string, string];
  if (name === 'Label') return (labels) => labels[key] === value;
  if (name === 'LabelRegex') {
    const regexp = compileGoRegexp(value);
    if ('problem' in regexp) return fail(regexp.problem, at);
    return (labels) => labels[key] !== undefined && regexp.test(labels[key]);
  }
  return fail(`unknown constraint function ${name} (Label and LabelRegex are known)`, at);
}

function tokenize(source: string, fail: (message: string, at: number) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')' || c === ',' || (c === '!' && source[i + 1] !== '=')) {
      tokens.push({ type: c as '(' | ')' | ',' | '!', at: i });
      i++;
    } else if (source.startsWith('&&', i) || source.startsWith('||', i)) {
      tokens.push({ type: source.slice(i, i + 2) as '&&' | '||', at: i });
      i += 2;
    } else if (c === '`' || c === '"') {
      const end = source.indexOf(c, i + 1);
      if (end === -1) fail(`unterminated ${c}-quoted string`, i);
      tokens.push({ type: 'string', value: source.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      const match = /^[A-Za-z][A-Za-z0-9]*/.exec(source.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'ident', value: match[0], at: i });
      i += match[0].length;
    } else {
      fail(`unexpected ${JSON.stringify(c)}`, i);
    }
  }
  tokens.push({ type: 'end', at: source.length });
  return tokens;
}

function describe(token: Token): string {
  if (token.type === 'end') return 'the end';
  if (token.type === 'ident') return token.value;
  if (token.type === 'string') return JSON.stringify(token.value);
  return `"${token.type}"`;
}
