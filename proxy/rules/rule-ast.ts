/** The syntax tree of a parsed rule. Matcher names are already resolved to their canonical form. */
import type { MatcherName } from './matcher-names.js';

export interface RuleValue {
  readonly value: string;
  /** Offset of the value's opening quote in the rule text. */
  readonly start: number;
}

export interface MatcherNode {
  readonly kind: 'matcher';
  /** Canonical matcher name, e.g. `PathPrefix` even when written `pathprefix`. */
  readonly name: MatcherName;
  readonly values: readonly RuleValue[];
  readonly start: number;
}

export interface NotNode {
  readonly kind: 'not';
  readonly operand: RuleNode;
  readonly start: number;
}

export interface BinaryNode {
  readonly kind: 'and' | 'or';
  readonly left: RuleNode;
  readonly right: RuleNode;
  readonly start: number;
}

export type RuleNode = MatcherNode | NotNode | BinaryNode;
