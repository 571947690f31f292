import { executeActions } from '../github/action-executor.js';
import { closeConfigErrorIssue } from '../github/config-error-issue.js';
import { planLabelSync } from '../triage/label-sync.js';
import type { EventContext } from './event-context.js';
import { configOrReport, dryRunFor } from './repo-config-gate.js';

/**
 * After the app is installed on a repository, or its default branch's configuration changes:
 * sync the labels, and close the configuration error issue if the file is valid again.
 */
export async function onConfigChange(context: EventContext): Promise<void> {
  const config = await configOrReport(context);
  if (!config) return;
  const dryRun = dryRunFor(context, config);
  if (!dryRun) await closeConfigErrorIssue(context.octokit, context.repo);
  if (!config.labels.sync) return;
  const existing = await context.octokit.paginate(context.octokit.rest.issues.listLabelsForRepo, {
    ...context.repo,
    per_page: 100,
  });
  const actions = planLabelSync(
    existing.map((l) => ({ name: l.name, color: l.color, description: l.description ?? '' })),
    config.labels,
  );
  await executeActions(context.octokit, context.repo, actions, { dryRun, log: context.log });
}
