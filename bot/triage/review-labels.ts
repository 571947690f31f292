import type { TriageConfig } from '../config/repo-config-schema.js';
import { hasLabel, type TriageAction } from './triage-action.js';

/** Only these review states change labels; a plain comment or a dismissal never does. */
export const reviewStateChangesLabels = (state: string) =>
  ['CHANGES_REQUESTED', 'APPROVED'].includes(state.toUpperCase());

/** Changes requested → the contributor has work to do; an approval → they are done. */
export function labelsForReview(
  review: { issue: number; state: string; labels: readonly string[] },
  triage: Pick<TriageConfig, 'enabled' | 'reviews'>,
): TriageAction[] {
  if (!triage.enabled || !triage.reviews.enabled) return [];
  const label = triage.reviews.waitingLabel;
  const state = review.state.toUpperCase();
  if (state === 'CHANGES_REQUESTED' && !hasLabel(review.labels, label)) {
    return [
      { type: 'add-labels', issue: review.issue, labels: [label], reason: 'a review requested changes' },
    ];
  }
  if (state === 'APPROVED' && hasLabel(review.labels, label)) {
    return [{ type: 'remove-label', issue: review.issue, label, reason: 'a review approved the PR' }];
  }
  return [];
}
