import type { TriageConfig } from '../config/repo-config-schema.js';
import { compileRe2 } from './go-regexp.js';

export interface AreaRuleProblem {
  /** e.g. `triage.areas.rules[2].paths[0]` */
  keyPath: string;
  pattern: string;
  detail: string;
}

/**
 * The area rule patterns that do not compile as RE2. Triage skips them (they match nothing) and
 * the config check reports them, rather than the whole configuration being refused.
 */
export function areaRuleProblems(areas: Pick<TriageConfig['areas'], 'rules'>): AreaRuleProblem[] {
  const problems: AreaRuleProblem[] = [];
  areas.rules.forEach((rule, index) => {
    if (rule.syntax !== 'regex') return;
    for (const key of ['paths', 'excludedPaths'] as const) {
      rule[key].forEach((pattern, at) => {
        const compiled = compileRe2(pattern);
        if (typeof compiled === 'string') {
          problems.push({ keyPath: `triage.areas.rules[${index}].${key}[${at}]`, pattern, detail: compiled });
        }
      });
    }
  });
  return problems;
}
