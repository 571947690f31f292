import type { MilestoneFacts } from './pull-request-facts.js';

/** The milestone title a base branch stands for (`v1.4` → `1.4`), or undefined for other branches. */
export function milestoneTitleFor(baseRef: string, branchPattern: string): string | undefined {
  const match = new RegExp(branchPattern).exec(baseRef);
  if (!match) return undefined;
  return match[1] ?? match[0];
}

/** The open milestone with that title; a `v` prefix on either side is ignored (`v1.4` ↔ `1.4`). */
export function findMilestone(
  milestones: readonly MilestoneFacts[],
  title: string,
): MilestoneFacts | undefined {
  const bare = (text: string) => text.trim().replace(/^v/i, '');
  return milestones.find((m) => m.state === 'open' && bare(m.title) === bare(title));
}
