import type { TriageConfig } from '../config/repo-config-schema.js';
import { matchesAny } from './path-match.js';
import type { ChangedFile } from './pull-request-facts.js';

export type Size = 'S' | 'M' | 'L';

export interface SizeMeasure {
  /** additions + deletions */
  sum: number;
  /** |additions − deletions|: a large rename or move has a big sum but a small diff. */
  diff: number;
  files: number;
}

export function measure(files: readonly ChangedFile[], excludedPaths: readonly string[]): SizeMeasure {
  const counted = files.filter((file) => !matchesAny(file.filename, excludedPaths));
  const additions = counted.reduce((total, file) => total + file.additions, 0);
  const deletions = counted.reduce((total, file) => total + file.deletions, 0);
  return { sum: additions + deletions, diff: Math.abs(additions - deletions), files: counted.length };
}

/**
 * Traefik's rule: a PR is S when it is below all three S limits, else M when below all three
 * M limits, else L. "Below" is strict, so a PR of exactly 150 changed lines is not S.
 */
export function sizeOf(measured: SizeMeasure, limits: TriageConfig['size']['limits']): Size {
  const below = (limit: SizeMeasure) =>
    measured.sum < limit.sum && measured.diff < limit.diff && measured.files < limit.files;
  if (below(limits.S)) return 'S';
  if (below(limits.M)) return 'M';
  return 'L';
}
