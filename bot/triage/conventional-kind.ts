import type { TriageConfig } from '../config/repo-config-schema.js';

const conventionalTitle = /^([a-z]+)(?:\([^)]*\))?!?:\s/i;
/** Traefik's titles: an optional `[area]` tag, then an imperative verb (`[k8s] Fix the ...`). */
const imperativeTitle = /^(?:\[[^\]]*\]\s*)*([A-Za-z]+)\b/;

/**
 * The label a PR title maps to: its conventional-commit type (`fix(proxy): ...` → `kind/bug/fix`),
 * else its imperative verb through `imperative` (`Fix ...` → `fix` → `kind/bug/fix`), if any.
 */
export function kindLabelFor(
  title: string,
  kind: Pick<TriageConfig['kind'], 'types'> & Partial<Pick<TriageConfig['kind'], 'imperative'>>,
): string | undefined {
  const trimmed = title.trim();
  const type = conventionalTitle.exec(trimmed)?.[1]?.toLowerCase();
  if (type !== undefined) return kind.types[type];
  const verb = imperativeTitle.exec(trimmed)?.[1]?.toLowerCase();
  const mapped = verb === undefined ? undefined : kind.imperative?.[verb];
  return mapped === undefined ? undefined : kind.types[mapped];
}
