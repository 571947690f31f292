import type { ReleasePlan } from './plan-release.js';
import type { ReleaseAction } from './release-action.js';
import type { ForgeCapabilities } from './release-facts.js';
import { releasePullRequestLabels } from './release-naming.js';

/**
 * What `prepare` does for a plan: on a forge, commit the files on `release/vX.Y.Z` and open the
 * "Prepare release" pull request; on a plain clone, commit them on the branch being released
 * (there is no pull request to review, the commit itself is the proposal).
 */
export function prepareActions(plan: ReleasePlan, capabilities: ForgeCapabilities): ReleaseAction[] {
  const message = plan.pullRequest.title;
  if (!capabilities.pullRequests) {
    return [{ kind: 'commit-files', branch: plan.branch, base: plan.branch, message, files: plan.files }];
  }
  return [
    { kind: 'commit-files', branch: plan.pullRequest.head, base: plan.branch, message, files: plan.files },
    {
      kind: 'open-pull-request',
      purpose: 'release',
      head: plan.pullRequest.head,
      base: plan.branch,
      title: plan.pullRequest.title,
      body: plan.pullRequest.body,
      labels: [...releasePullRequestLabels],
    },
  ];
}
