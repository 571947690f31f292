/**
 * Finds the router for a request among many without scanning them all. Routes whose rule is
 * limited to some hosts are filed under those hosts (exact names, and one-label wildcards by
 * their parent domain); the others go to a fallback list. A lookup merges the few candidate
 * lists in global priority order and returns the first route whose rule matches, which is the
 * same answer a full scan in priority order would give.
 */

import type { CompiledRule } from './compile-rule.js';
import { canonicalRequestHostCached, parentDomain } from './host-name.js';
import type { RequestFacts } from './request-facts.js';
import type { RuleNode } from './rule-ast.js';
import { parseRule } from './rule-parser.js';

export interface IndexedRoute<T> {
  name: string;
  rule: CompiledRule;
  priority: number;
  /** Breaks a tie of priority between providers (providers.precedence): lower wins. */
  precedence?: number;
  target: T;
}

/**
 * Traefik v3's default priority: the rule's length (in bytes, as Go's len()), minus the stars of
 * each positive `**.` Host wildcard, so that a double wildcard ranks below the single-label
 * wildcard and exact hosts it covers.
 */
export function defaultRulePriority(rule: string): number {
  let priority = Buffer.byteLength(rule, 'utf8');
  let tree: RuleNode;
  try {
    tree = parseRule(rule);
  } catch {
    return priority;
  }
  for (const host of positiveHostValues(tree, true)) if (host.startsWith('**.')) priority -= 2;
  return priority;
}

/**
 * The priority a router runs with: its explicit priority, or the default when it has none.
 * As in Traefik, `priority: 0` counts as unset.
 */
export function routerPriority(explicit: number | undefined, rule: string): number {
  return explicit === undefined || explicit === 0 ? defaultRulePriority(rule) : explicit;
}

function positiveHostValues(node: RuleNode, positive: boolean): string[] {
  switch (node.kind) {
    case 'matcher':
      return positive && node.name === 'Host' ? node.values.map((v) => v.value.toLowerCase()) : [];
    case 'not':
      return positiveHostValues(node.operand, !positive);
    default:
      return [...positiveHostValues(node.left, positive), ...positiveHostValues(node.right, positive)];
  }
}

/** A route with its rank in the global order (0 is tried first) and the predicate to test. */
interface RankedRoute<T> {
  rank: number;
  route: IndexedRoute<T>;
  matches: (request: RequestFacts) => boolean;
}

const none: readonly never[] = [];

export class RouterIndex<T> {
  readonly size: number;
  /** Every route in the order they are tried: priority descending, then name ascending. */
  readonly ordered: readonly IndexedRoute<T>[];
  private readonly byExactHost = new Map<string, RankedRoute<T>[]>();
  private readonly byWildcardParent = new Map<string, RankedRoute<T>[]>();
  private readonly anyHost: RankedRoute<T>[] = [];

  constructor(routes: readonly IndexedRoute<T>[]) {
    // Traefik sorts by priority, then by provider precedence; routers still tied come in an
    // unspecified order there (Go map iteration). We make it deterministic: name ascending.
    this.ordered = [...routes].sort(
      (a, b) =>
        b.priority - a.priority ||
        (a.precedence ?? 0) - (b.precedence ?? 0) ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
    this.size = this.ordered.length;
    this.ordered.forEach((route, rank) => {
      const { rule } = route;
      if (rule.hosts === undefined) {
        this.anyHost.push({ rank, route, matches: rule.matches });
        return;
      }
      for (const host of new Set(rule.hosts)) {
        if (host.startsWith('*.')) {
          append(this.byWildcardParent, host.slice(2), { rank, route, matches: rule.matches });
        } else {
          // Under an exact host the Host matchers are already decided: test only the rest.
          append(this.byExactHost, host, { rank, route, matches: rule.matchesForHost(host) });
        }
      }
    });
  }

  /** The highest-priority route whose rule matches the request, or undefined. */
  find(request: RequestFacts): IndexedRoute<T> | undefined {
    const host = canonicalRequestHostCached(request.host);
    const exact = this.byExactHost.get(host) ?? none;
    const wildcard = this.byWildcardParent.size === 0 ? none : this.wildcardCandidates(host);
    const fallback = this.anyHost;
    // Common cases first: only one list has candidates, so no merging is needed.
    if (wildcard.length === 0) {
      if (fallback.length === 0) return firstMatch(exact, request);
      if (exact.length === 0) return firstMatch(fallback, request);
    }
    // Three-way merge by rank; each list is already in rank order.
    let e = 0;
    let w = 0;
    let f = 0;
    for (;;) {
      const a = exact[e];
      const b = wildcard[w];
      const c = fallback[f];
      let best = a;
      if (b !== undefined && (best === undefined || b.rank < best.rank)) best = b;
      if (c !== undefined && (best === undefined || c.rank < best.rank)) best = c;
      if (best === undefined) return undefined;
      if (best === a) e++;
      else if (best === b) w++;
      else f++;
      if (best.matches(request)) return best.route;
    }
  }

  private wildcardCandidates(host: string): readonly RankedRoute<T>[] {
    const parent = parentDomain(host);
    return (parent === undefined ? undefined : this.byWildcardParent.get(parent)) ?? none;
  }
}

function firstMatch<T>(
  candidates: readonly RankedRoute<T>[],
  request: RequestFacts,
): IndexedRoute<T> | undefined {
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!;
    if (candidate.matches(request)) return candidate.route;
  }
  return undefined;
}

function append<T>(map: Map<string, RankedRoute<T>[]>, key: string, route: RankedRoute<T>): void {
  const list = map.get(key);
  if (list) list.push(route);
  else map.set(key, [route]);
}
