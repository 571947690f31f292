import type { TriageConfig } from '../config/repo-config-schema.js';
import { matchesAny } from './path-match.js';
import type { ChangedFile } from './pull-request-facts.js';

/** The area labels whose rules match at least one changed file, in rule order, without repeats. */
export function areaLabels(files: readonly ChangedFile[], areas: TriageConfig['areas']): string[] {
  const considered = files.filter((file) => !matchesAny(file.filename, areas.excludedPaths));
  const labels: string[] = [];
  for (const rule of areas.rules) {
    const hit = considered.some(
      (file) =>
        matchesAny(file.filename, rule.paths, rule.syntax) &&
        !matchesAny(file.filename, rule.excludedPaths, rule.syntax),
    );
    if (hit && !labels.includes(rule.label)) labels.push(rule.label);
  }
  return labels;
}
