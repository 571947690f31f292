import { executeActions } from '../github/action-executor.js';
import { labelsForReview, reviewStateChangesLabels } from '../triage/review-labels.js';
import { type EventContext, labelNames, type PullRequestPayload } from './event-context.js';
import { configOrReport, dryRunFor } from './repo-config-gate.js';

export async function onReviewSubmitted(
  context: EventContext,
  review: { state: string },
  pr: PullRequestPayload,
): Promise<void> {
  // Most reviews are comments: they cost no request at all.
  if (!reviewStateChangesLabels(review.state)) return;
  const config = await configOrReport(context);
  if (!config) return;
  const actions = labelsForReview(
    { issue: pr.number, state: review.state, labels: labelNames(pr.labels) },
    config.triage,
  );
  await executeActions(context.octokit, context.repo, actions, {
    dryRun: dryRunFor(context, config),
    log: context.log,
  });
}
