import { executeActions } from '../github/action-executor.js';
import { currentLabels } from '../github/current-labels.js';
import { labelsForReview, reviewStateChangesLabels } from '../triage/review-labels.js';
import type { EventContext, PullRequestPayload } from './event-context.js';
import { configOrReport, dryRunFor } from './repo-config-gate.js';

export async function onReviewSubmitted(
  context: EventContext,
  review: { state: string },
  pr: PullRequestPayload,
): Promise<void> {
  // Most reviews are comments: they cost no request at all.
  if (!reviewStateChangesLabels(review.state)) return;
  const config = await configOrReport(context);
  if (!config?.triage.enabled || !config.triage.reviews.enabled) return;
  // The payload's labels may predate the bot's work on an earlier review of the same PR.
  const labels = await currentLabels(context.octokit, context.repo, pr.number);
  const actions = labelsForReview({ issue: pr.number, state: review.state, labels }, config.triage);
  await executeActions(context.octokit, context.repo, actions, {
    dryRun: dryRunFor(context, config),
    log: context.log,
  });
}
