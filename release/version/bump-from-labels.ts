import type { Bump, BumpDecision } from './bump.js';
import { maxBump } from './bump.js';

/**
 * The bump that merged pull requests' kind labels call for, with Traefik's taxonomy:
 * `kind/enhancement` → minor, `kind/bug/fix` → patch, and any `breaking` label → major.
 */
export function bumpFromLabels(
  pullRequests: readonly { readonly number: number; readonly labels: readonly string[] }[],
): BumpDecision {
  let bump: Bump | null = null;
  const reasons: string[] = [];
  for (const pr of pullRequests) {
    const own = labelBump(pr.labels);
    if (own === null) continue;
    const before: Bump | null = bump;
    bump = maxBump(bump, own);
    if (bump !== before) reasons.push(`#${pr.number} is labelled for a ${own} release`);
  }
  return { bump, reasons };
}

function labelBump(labels: readonly string[]): Bump | null {
  const lower = labels.map((l) => l.toLowerCase());
  if (lower.some((l) => l.includes('breaking'))) return 'major';
  if (lower.includes('kind/enhancement')) return 'minor';
  if (lower.includes('kind/bug/fix') || lower.includes('kind/bug')) return 'patch';
  return null;
}
