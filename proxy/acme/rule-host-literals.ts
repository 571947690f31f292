/**
 * The hosts a router's rule names literally, for ACME: Traefik orders one certificate per router
 * whose names are the values of its `Host(...)` matchers. Negated matchers (`!Host(...)`) name
 * hosts the router refuses, so they are left out (Traefik keeps them, which orders a certificate
 * for a name the router never serves).
 */
import type { RuleNode } from '../rules/rule-ast.js';
import { parseRule } from '../rules/rule-parser.js';

/** Lower-cased, in rule order, without duplicates. Throws the rule's own error if it does not parse. */
export function ruleHostLiterals(rule: string): string[] {
  const hosts: string[] = [];
  collect(parseRule(rule), false, hosts);
  return [...new Set(hosts)];
}

function collect(node: RuleNode, negated: boolean, into: string[]): void {
  switch (node.kind) {
    case 'matcher':
      if (node.name === 'Host' && !negated) into.push(...node.values.map((v) => v.value.toLowerCase()));
      return;
    case 'not':
      collect(node.operand, !negated, into);
      return;
    case 'and':
    case 'or':
      collect(node.left, negated, into);
      collect(node.right, negated, into);
  }
}
