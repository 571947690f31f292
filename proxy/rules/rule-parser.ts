/**
 * Parses a rule into a syntax tree. Grammar (Go expression precedence, as Traefik parses rules
 * with go/parser): `!` binds tightest, then `&&`, then `||`; parentheses group.
 *
 *   or      := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | '(' or ')' | matcher
 *   matcher := NAME '(' [STRING (',' STRING)* [',']] ')'
 */
import { resolveMatcherName, suggestMatcherName } from './matcher-names.js';
import type { RuleNode, RuleValue } from './rule-ast.js';
import { RuleError } from './rule-error.js';
import { type Token, type TokenKind, tokenizeRule } from './rule-lexer.js';

export function parseRule(rule: string): RuleNode {
  const tokens = tokenizeRule(rule);
  let index = 0;
  const peek = (): Token => tokens[index]!;
  const next = (): Token => tokens[index++]!;

  const describe = (token: Token): string => {
    switch (token.kind) {
      case 'end':
        return 'the end of the rule';
      case 'name':
        return `'${token.text}'`;
      case 'string':
        return `the value ${JSON.stringify(token.text)}`;
      default:
        return `'${token.text}'`;
    }
  };

  const fail = (token: Token, expected: string, hint?: string): never => {
    throw new RuleError(
      'AFF_ERR_RULE_SYNTAX',
      token.start + 1,
      `expected ${expected}, found ${describe(token)}`,
      hint,
    );
  };

  const expect = (kind: TokenKind, expected: string, hint?: string): Token => {
    const token = next();
    if (token.kind !== kind) fail(token, expected, hint);
    return token;
  };

  const parseOr = (): RuleNode => {
    let left = parseAnd();
    while (peek().kind === '||') {
      const operator = next();
      left = { kind: 'or', left, right: parseAnd(), start: operator.start };
    }
    return left;
  };

  const parseAnd = (): RuleNode => {
    let left = parseUnary();
    while (peek().kind === '&&') {
      const operator = next();
      left = { kind: 'and', left, right: parseUnary(), start: operator.start };
    }
    return left;
  };

  const parseUnary = (): RuleNode => {
    const token = peek();
    if (token.kind === '!') {
      next();
      return { kind: 'not', operand: parseUnary(), start: token.start };
    }
    if (token.kind === '(') {
      next();
      const inner = parseOr();
      const close = peek();
      if (close.kind !== ')') {
        fail(close, `')' to close the parenthesis opened at column ${token.start + 1}, or '&&' / '||'`);
      }
      next();
      return inner;
    }
    if (token.kind === 'name') return parseMatcher();
    return fail(token, "a matcher such as Host(`example.com`), '!' or '('");
  };

  const parseMatcher = (): RuleNode => {
    const nameToken = next();
    const name = resolveMatcherName(nameToken.text);
    if (!name) {
      throw new RuleError(
        'AFF_ERR_RULE_INVALID',
        nameToken.start + 1,
        `unknown matcher '${nameToken.text}'`,
        suggestMatcherName(nameToken.text),
      );
    }
    expect('(', `'(' after the matcher name ${nameToken.text}`);
    const values: RuleValue[] = [];
    while (peek().kind !== ')') {
      const value = next();
      if (value.kind !== 'string') {
        fail(
          value,
          `a quoted value or ')' in ${nameToken.text}(...)`,
          'Quote values with backticks or double quotes.',
        );
      }
      values.push({ value: value.text, start: value.start });
      if (peek().kind === ',') next();
      else if (peek().kind !== ')') fail(peek(), `',' or ')' after a value of ${nameToken.text}`);
    }
    next();
    return { kind: 'matcher', name, values, start: nameToken.start };
  };

  const root = parseOr();
  const trailing = peek();
  if (trailing.kind !== 'end') {
    fail(trailing, "'&&', '||' or the end of the rule", 'Combine matchers with && or ||.');
  }
  return root;
}
