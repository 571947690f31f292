/** Step 3 of the pipeline: carries out a plan's actions, or only describes them on a dry run. */
import { describeAction, type ReleaseAction } from '../plan/release-action.js';
import type { ActionOutcome, ReleaseForge } from './release-forge.js';

export interface AppliedAction {
  readonly action: ReleaseAction;
  readonly description: string;
  readonly outcome: ActionOutcome | 'dry-run';
}

export async function applyActions(
  actions: readonly ReleaseAction[],
  forge: ReleaseForge,
  options: { readonly dryRun: boolean },
): Promise<AppliedAction[]> {
  const applied: AppliedAction[] = [];
  // In order: the tag must exist before the release that names it.
  for (const action of actions) {
    const description = describeAction(action);
    const outcome = options.dryRun ? 'dry-run' : await run(action, forge);
    applied.push({ action, description, outcome });
  }
  return applied;
}

function run(action: ReleaseAction, forge: ReleaseForge): Promise<ActionOutcome> {
  switch (action.kind) {
    case 'commit-files':
      return forge.commitFiles(action);
    case 'open-pull-request':
      return forge.openPullRequest(action);
    case 'create-tag':
      return forge.createTag(action);
    case 'create-release':
      return forge.createRelease(action);
    case 'create-branch':
      return forge.createBranch(action);
  }
}
