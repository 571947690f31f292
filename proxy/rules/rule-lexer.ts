/**
 * Splits a Traefik rule into tokens. Traefik parses rules as Go expressions, so values are Go
 * string literals: raw (`...`) or interpreted ("..." with escapes). Single quotes are Go rune
 * literals and Traefik refuses them; so do we, with a pointed message.
 */
import { decodeGoInterpretedString } from './go-string-literal.js';
import { RuleError } from './rule-error.js';

export type TokenKind = 'name' | 'string' | '(' | ')' | ',' | '&&' | '||' | '!' | 'end';

export interface Token {
  kind: TokenKind;
  /** Offset of the token's first character in the rule text. */
  start: number;
  /** For `name`: the identifier; for `string`: the decoded value; otherwise the token text. */
  text: string;
}

const isNameStart = (ch: string) => /^[A-Za-z_]$/.test(ch);
const isNamePart = (ch: string) => /^[A-Za-z0-9_]$/.test(ch);
const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';

export function tokenizeRule(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < rule.length) {
    const ch = rule[i]!;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',' || ch === '!') {
      tokens.push({ kind: ch, start, text: ch });
      i++;
      continue;
    }
    if (ch === '&' || ch === '|') {
      if (rule[i + 1] !== ch) {
        throw new RuleError(
          'AFF_ERR_RULE_SYNTAX',
          start + 1,
          `expected '${ch}${ch}', found a single '${ch}'`,
          "Combine matchers with '&&' (and), '||' (or) and '!' (not).",
        );
      }
      tokens.push({ kind: ch === '&' ? '&&' : '||', start, text: ch + ch });
      i += 2;
      continue;
    }
    if (ch === '`') {
      const close = rule.indexOf('`', i + 1);
      if (close < 0) {
        throw new RuleError(
          'AFF_ERR_RULE_SYNTAX',
          start + 1,
          'this backtick-quoted value is never closed',
          'Add the closing backtick.',
        );
      }
      // Go drops carriage returns from raw string literals.
      tokens.push({ kind: 'string', start, text: rule.slice(i + 1, close).replaceAll('\r', '') });
      i = close + 1;
      continue;
    }
    if (ch === '"') {
      let j = i + 1;
      while (j < rule.length && rule[j] !== '"' && rule[j] !== '\n') j += rule[j] === '\\' ? 2 : 1;
      if (j >= rule.length || rule[j] !== '"') {
        throw new RuleError(
          'AFF_ERR_RULE_SYNTAX',
          start + 1,
          'this double-quoted value is never closed on its line',
          'Add the closing double quote, or use backticks.',
        );
      }
      const decoded = decodeGoInterpretedString(rule.slice(i + 1, j));
      if (typeof decoded !== 'string') {
        throw new RuleError('AFF_ERR_RULE_SYNTAX', i + 2 + decoded.offset, decoded.message);
      }
      tokens.push({ kind: 'string', start, text: decoded });
      i = j + 1;
      continue;
    }
    if (ch === "'") {
      throw new RuleError(
        'AFF_ERR_RULE_SYNTAX',
        start + 1,
        'single quotes are not accepted around values',
        'Quote values with backticks (`example.com`) or double quotes ("example.com"), as in Traefik.',
      );
    }
    if (isNameStart(ch)) {
      let j = i + 1;
      while (j < rule.length && isNamePart(rule[j]!)) j++;
      tokens.push({ kind: 'name', start, text: rule.slice(i, j) });
      i = j;
      continue;
    }
    throw new RuleError(
      'AFF_ERR_RULE_SYNTAX',
      start + 1,
      `unexpected character ${JSON.stringify(String.fromCodePoint(rule.codePointAt(i)!))}`,
      "A rule is made of matchers like Host(`example.com`), combined with '&&', '||', '!' and parentheses.",
    );
  }
  tokens.push({ kind: 'end', start: rule.length, text: '' });
  return tokens;
}
