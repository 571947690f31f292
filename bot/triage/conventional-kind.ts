import type { TriageConfig } from '../config/repo-config-schema.js';

const conventionalTitle = /^([a-z]+)(?:\([^)]*\))?!?:\s/i;

/** The label a conventional-commit title maps to (`fix(proxy): ...` → `kind/bug/fix`), if any. */
export function kindLabelFor(title: string, kind: TriageConfig['kind']): string | undefined {
  const type = conventionalTitle.exec(title.trim())?.[1]?.toLowerCase();
  return type === undefined ? undefined : kind.types[type];
}
