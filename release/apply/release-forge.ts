/**
 * Where a release's side effects land: a local clone, or a GitHub-compatible API. Every method
 * is idempotent — it first looks at what exists and reports `already-done` when the effect is
 * already there — so re-running a step, or the bot retrying a job, changes nothing the second
 * time. A method throws when what exists contradicts the plan (a tag on another commit).
 */
import type { ReleaseAction } from '../plan/release-action.js';
import type { ForgeCapabilities } from '../plan/release-facts.js';

export type ActionOutcome = 'done' | 'already-done';

type ActionOf<K extends ReleaseAction['kind']> = Extract<ReleaseAction, { kind: K }>;

export interface ReleaseForge {
  readonly capabilities: ForgeCapabilities;
  commitFiles(action: ActionOf<'commit-files'>): Promise<ActionOutcome>;
  openPullRequest(action: ActionOf<'open-pull-request'>): Promise<ActionOutcome>;
  createTag(action: ActionOf<'create-tag'>): Promise<ActionOutcome>;
  createRelease(action: ActionOf<'create-release'>): Promise<ActionOutcome>;
  createBranch(action: ActionOf<'create-branch'>): Promise<ActionOutcome>;
}
