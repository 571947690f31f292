/**
 * Compiles a Traefik v3 rule into a predicate over RequestFacts, plus the set of hosts the rule
 * is limited to (for the router index).
 */
import { type BuiltMatcher, buildMatcher, type RequestPredicate } from './build-matcher.js';
import { type HostExpression, hostMatches } from './host-name.js';
import type { RequestFacts } from './request-facts.js';
import type { RuleNode } from './rule-ast.js';
import { parseRule } from './rule-parser.js';

export interface CompiledRule {
  readonly source: string;
  matches(request: RequestFacts): boolean;
  /** For indexing: lower-cased hosts that the rule can ONLY match (exact names or one-label wildcards
   *  like '*.example.com'), or undefined when the rule may match requests for any host. */
  readonly hosts: readonly string[] | undefined;
  /**
   * The rule's predicate for requests whose canonical host (lower case, no port, no trailing
   * dot) is known to be `host`: Host matchers are decided up front, so the router index can
   * skip them for the routes it files under that exact host.
   */
  matchesForHost(host: string): (request: RequestFacts) => boolean;
}

/** Throws a RuleError (AFF_ERR_RULE_SYNTAX or AFF_ERR_RULE_INVALID) naming the column and the problem. */
export function compileRule(rule: string): CompiledRule {
  const tree = parseRule(rule);
  const built = new Map<RuleNode, BuiltMatcher>();
  const predicate = compileNode(tree, built);
  const hosts = hostLimits(tree, true, built);
  return {
    source: rule,
    matches: predicate,
    hosts: hosts === undefined ? undefined : Object.freeze([...new Set(hosts)]),
    matchesForHost: (host) => {
      const specialized = specialize(tree, host, built);
      return typeof specialized === 'boolean' ? () => specialized : specialized;
    },
  };
}

/** Partially evaluates a rule for a known canonical host: a constant, or what is left to test. */
function specialize(
  node: RuleNode,
  host: string,
  built: Map<RuleNode, BuiltMatcher>,
): boolean | RequestPredicate {
  switch (node.kind) {
    case 'matcher': {
      const matcher = built.get(node)!;
      return matcher.host ? hostMatches(matcher.host, host) : matcher.predicate;
    }
    case 'not': {
      const operand = specialize(node.operand, host, built);
      if (typeof operand === 'boolean') return !operand;
      return (request) => !operand(request);
    }
    case 'and': {
      const left = specialize(node.left, host, built);
      if (left === false) return false;
      const right = specialize(node.right, host, built);
      if (right === false) return false;
      if (left === true) return right;
      if (right === true) return left;
      return (request) => left(request) && right(request);
    }
    case 'or': {
      const left = specialize(node.left, host, built);
      if (left === true) return true;
      const right = specialize(node.right, host, built);
      if (right === true) return true;
      if (left === false) return right;
      if (right === false) return left;
      return (request) => left(request) || right(request);
    }
  }
}

function compileNode(node: RuleNode, built: Map<RuleNode, BuiltMatcher>): RequestPredicate {
  switch (node.kind) {
    case 'matcher': {
      const matcher = buildMatcher(node);
      built.set(node, matcher);
      return matcher.predicate;
    }
    case 'not': {
      const operand = compileNode(node.operand, built);
      return (request) => !operand(request);
    }
    case 'and': {
      const left = compileNode(node.left, built);
      const right = compileNode(node.right, built);
      return (request) => left(request) && right(request);
    }
    case 'or': {
      const left = compileNode(node.left, built);
      const right = compileNode(node.right, built);
      return (request) => left(request) || right(request);
    }
  }
}

/**
 * The hosts a (sub)rule can only match, or undefined when it may match any host. Negation is
 * pushed down to the matchers (De Morgan, as Traefik itself does), so `!(Path(a) || !Host(b))`
 * is `!Path(a) && Host(b)` and still limited to b. A negated matcher limits nothing. Only exact
 * names and one-label wildcards are reported; `**.` wildcards and `*` fall back to "any host".
 */
function hostLimits(
  node: RuleNode,
  positive: boolean,
  built: Map<RuleNode, BuiltMatcher>,
): string[] | undefined {
  switch (node.kind) {
    case 'matcher': {
      const host = built.get(node)?.host;
      return positive && host ? indexKeyOf(host) : undefined;
    }
    case 'not':
      return hostLimits(node.operand, !positive, built);
    case 'and':
    case 'or': {
      // Under negation, && becomes || and vice versa.
      const isAnd = (node.kind === 'and') === positive;
      const left = hostLimits(node.left, positive, built);
      const right = hostLimits(node.right, positive, built);
      if (isAnd) {
        // Either side alone is a sound limit; keep the narrower one.
        if (left === undefined) return right;
        if (right === undefined) return left;
        return left.length <= right.length ? left : right;
      }
      return left === undefined || right === undefined ? undefined : [...left, ...right];
    }
  }
}

function indexKeyOf(host: HostExpression): string[] | undefined {
  switch (host.kind) {
    case 'exact':
      return [host.host];
    case 'single':
      return [`*.${host.suffix}`];
    default:
      return undefined;
  }
}
