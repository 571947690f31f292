import { distance } from 'fastest-levenshtein';

/**
 * The known name closest to a mistyped one, or undefined when nothing is close enough to be
 * a plausible typo. Case is ignored, since keys are matched case-insensitively anyway.
 */
export function suggestClosest(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: { name: string; score: number } | undefined;
  for (const candidate of candidates) {
    const score = distance(lower, candidate.toLowerCase());
    if (!best || score < best.score) best = { name: candidate, score };
  }
  if (!best) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(lower.length, best.name.length) / 3));
  return best.score <= allowed ? best.name : undefined;
}
