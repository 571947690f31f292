export type Bump = 'major' | 'minor' | 'patch';

const rank: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

/** The larger of two bumps; null means "no release needed". */
export function maxBump(a: Bump | null, b: Bump | null): Bump | null {
  if (a === null) return b;
  if (b === null) return a;
  return rank[a] >= rank[b] ? a : b;
}

export function bumpRank(bump: Bump): number {
  return rank[bump];
}

/** A bump and the reasons behind it, so that `plan` can say why it chose a version. */
export interface BumpDecision {
  readonly bump: Bump | null;
  readonly reasons: readonly string[];
}
