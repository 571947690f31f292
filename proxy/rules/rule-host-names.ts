/**
 * The literal host names a rule's `Host(...)` matchers name, as Traefik's `ParseDomains` finds
 * them: what ACME orders certificates for when a router has a certResolver but no tls.domains,
 * and what TLS options are chosen by. A negated Host is no name the router serves, so it is
 * left out; HostRegexp has no literal name.
 */
import type { CompiledRule } from './compile-rule.js';
import type { RuleNode } from './rule-ast.js';
import { parseRule } from './rule-parser.js';

/** Lower-case, without a trailing dot, each once, in the rule's order. */
export function ruleHostNames(rule: CompiledRule | string): string[] {
  const tree = parseRule(typeof rule === 'string' ? rule : rule.source);
  const names: string[] = [];
  collect(tree, true, names);
  return [...new Set(names)];
}

function collect(node: RuleNode, positive: boolean, into: string[]): void {
  switch (node.kind) {
    case 'matcher':
      if (positive && node.name === 'Host') {
        for (const v of node.values) into.push(v.value.toLowerCase().replace(/\.$/, ''));
      }
      return;
    case 'not':
      collect(node.operand, !positive, into);
      return;
    default:
      collect(node.left, positive, into);
      collect(node.right, positive, into);
  }
}
