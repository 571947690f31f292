/**
 * Smooth weighted round robin (the nginx algorithm): with weights 5,1,1 it picks
 * a a b a c a a rather than a a a a a b c, so a heavy server never gets a burst.
 */
export interface WeightedCandidate {
  readonly weight: number;
  /** Running score; owned by the algorithm. */
  current: number;
}

export function pickSmoothWeighted<T extends WeightedCandidate>(
  candidates: readonly T[],
  available: (candidate: T) => boolean,
): T | undefined {
  let best: T | undefined;
  let total = 0;
  for (const candidate of candidates) {
    if (candidate.weight <= 0 || !available(candidate)) continue;
    candidate.current += candidate.weight;
    total += candidate.weight;
    if (!best || candidate.current > best.current) best = candidate;
  }
  if (best) best.current -= total;
  return best;
}
