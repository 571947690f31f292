import type { TriageConfig } from '../config/repo-config-schema.js';
import type { TriageAction } from './triage-action.js';

/** A new issue with no labels at all gets the needs-triage label; a labelled one was triaged already. */
export function triageOpenedIssue(
  issue: { number: number; labels: readonly string[] },
  triage: Pick<TriageConfig, 'enabled' | 'needsTriage'>,
): TriageAction[] {
  if (!triage.enabled || !triage.needsTriage.enabled || issue.labels.length > 0) return [];
  return [
    {
      type: 'add-labels',
      issue: issue.number,
      labels: [triage.needsTriage.label],
      reason: 'new issue without labels',
    },
  ];
}
