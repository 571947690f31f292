/**
 * Power of two random choices: pick two servers at random and send to the one with fewer
 * requests in flight. Nearly as good as least-loaded, without scanning every server.
 */
export interface LoadedCandidate {
  readonly weight: number;
  inFlight: number;
}

export function pickTwoChoices<T extends LoadedCandidate>(
  candidates: readonly T[],
  available: (candidate: T) => boolean,
  random: () => number = Math.random,
): T | undefined {
  const usable = candidates.filter((c) => c.weight > 0 && available(c));
  if (usable.length <= 1) return usable[0];
  const first = Math.floor(random() * usable.length);
  let second = Math.floor(random() * (usable.length - 1));
  if (second >= first) second++;
  const a = usable[first] as T;
  const b = usable[second] as T;
  return b.inFlight < a.inFlight ? b : a;
}
