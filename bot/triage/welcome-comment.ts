import type { TriageConfig } from '../config/repo-config-schema.js';
import type { TriageAction } from './triage-action.js';

/**
 * GitHub marks an author's first contribution in the payload (`author_association`), so no
 * extra request is needed to know it.
 */
const firstTime = new Set(['FIRST_TIME_CONTRIBUTOR', 'FIRST_TIMER']);

export const isFirstContribution = (authorAssociation: string) =>
  firstTime.has(authorAssociation.toUpperCase());

export function welcomeComment(
  item: { issue: number; author: string; authorAssociation: string; authorIsBot: boolean },
  triage: Pick<TriageConfig, 'enabled' | 'welcome'>,
): TriageAction[] {
  if (!triage.enabled || !triage.welcome.enabled || item.authorIsBot) return [];
  if (!isFirstContribution(item.authorAssociation)) return [];
  const body = triage.welcome.message.replaceAll('{author}', item.author);
  return [{ type: 'comment', issue: item.issue, body, reason: `first contribution of ${item.author}` }];
}
