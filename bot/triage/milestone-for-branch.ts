import type { MilestoneFacts } from './pull-request-facts.js';

/** The milestone title a base branch stands for (`v1.4` → `1.4`), or undefined for other branches. */
export function milestoneTitleFor(baseRef: string, branchPattern: string): string | undefined {
  const match = new RegExp(branchPattern).exec(baseRef);
  if (!match) return undefined;
  return match[1] ?? match[0];
}

/**
 * The milestone with that title; a `v` prefix on either side is ignored (`v1.4` ↔ `1.4`). An
 * open one wins; with `includeClosed`, a closed one is used when no open one matches (aloba).
 */
export function findMilestone(
  milestones: readonly MilestoneFacts[],
  title: string,
  includeClosed = false,
): MilestoneFacts | undefined {
  const bare = (text: string) => text.trim().replace(/^v/i, '');
  const named = milestones.filter((m) => bare(m.title) === bare(title));
  return (
    named.find((m) => m.state === 'open') ??
    (includeClosed ? named.find((m) => m.state === 'closed') : undefined)
  );
}
