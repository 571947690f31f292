/**
 * The release engine, as a numbered pipeline (after release-drafter's main.ts):
 *
 *   1. collect  — tags, merged PRs, commits and files, through a ReleaseSource (collect/)
 *   2. plan     — version, codename, changelog and files, decided by pure code (plan/)
 *   3. apply    — the release PR, then tag, release and branches, through a ReleaseForge (apply/)
 *
 * `prepare` runs 1-2-3 up to the release PR; `publish` runs 1-2-3 for an accepted proposal.
 * Every step has a dry run that stops before 3 touches anything.
 */

import { AffineurError } from '../src/errors/affineur-error.js';
import { type AppliedAction, applyActions } from './apply/apply-actions.js';
import type { ReleaseForge } from './apply/release-forge.js';
import {
  type CollectOptions,
  collectPublishFacts,
  collectReleaseFacts,
} from './collect/collect-release-facts.js';
import type { ReleaseProposal, ReleaseSource } from './collect/release-source.js';
import type { MergeBackLabels } from './plan/merge-back.js';
import {
  findUnfinishedReleases,
  mergeBackCascadeActions,
  type PublishPlan,
  planPublish,
} from './plan/plan-publish.js';
import { planRelease, type ReleaseOptions, type ReleasePlan } from './plan/plan-release.js';
import { prepareActions } from './plan/prepare-actions.js';
import { requireVersion } from './version/version.js';

export type PlanOptions = CollectOptions & ReleaseOptions;

/** `affineur release plan`: collect and plan, change nothing. */
export async function planFromSource(source: ReleaseSource, options: PlanOptions = {}): Promise<ReleasePlan> {
  const facts = await collectReleaseFacts(source, options); // 1. collect
  return planRelease(facts, options); // 2. plan
}

export interface PrepareResult {
  readonly plan: ReleasePlan;
  readonly applied: readonly AppliedAction[];
}

/** `affineur release prepare`: plan, then commit the release files and open the release PR. */
export async function prepareRelease(
  source: ReleaseSource,
  forge: ReleaseForge,
  options: PlanOptions & { readonly dryRun: boolean },
): Promise<PrepareResult> {
  const plan = await planFromSource(source, options);
  const applied = await applyActions(prepareActions(plan, forge.capabilities), forge, options); // 3. apply
  return { plan, applied };
}

export interface PublishResult {
  readonly plan: PublishPlan;
  readonly applied: readonly AppliedAction[];
}

/**
 * `affineur release publish`: tags and releases accepted proposals. With a version, publishes
 * that one (again, harmlessly, if it is done); without, every proposal still lacking its tag.
 */
export async function publishReleases(
  source: ReleaseSource,
  forge: ReleaseForge,
  options: {
    readonly version?: string | undefined;
    /** Only the releases accepted into this branch. */
    readonly branch?: string | undefined;
    readonly dryRun: boolean;
    readonly mergeBackLabels?: MergeBackLabels | undefined;
  },
): Promise<PublishResult[]> {
  if (options.version !== undefined) requireVersion(options.version, '--version');
  const [proposals, tags] = await Promise.all([
    source.listReleaseProposals({ version: options.version, branch: options.branch }),
    source.listTagNames(),
  ]);
  let selected: ReleaseProposal[];
  if (options.version !== undefined) {
    const proposal = proposals.find((p) => p.tag === options.version);
    if (!proposal) {
      throw new AffineurError(
        'AFF_ERR_RELEASE_NOT_PREPARED',
        `no accepted "Prepare release ${options.version}" found${options.branch === undefined ? '' : ` on ${options.branch}`}.`,
        {
          hint: 'Run `affineur release prepare` and merge its pull request first.',
        },
      );
    }
    selected = [proposal];
  } else {
    // Oldest first, so tags and release branches appear in version order.
    selected = findUnfinishedReleases(proposals, tags).reverse();
  }
  const results: PublishResult[] = [];
  for (const proposal of selected) {
    const facts = await collectPublishFacts(source, proposal, proposal.branch); // 1. collect
    const plan = planPublish(facts, forge.capabilities, undefined, options.mergeBackLabels); // 2. plan
    const applied = await applyActions(plan.actions, forge, options); // 3. apply
    results.push({ plan, applied });
  }
  return results;
}

/** For the bot's sweep: accepted release proposals that were never tagged. */
export async function findUnfinishedReleasesIn(
  source: ReleaseSource,
  filter: { readonly branch?: string | undefined } = {},
): Promise<ReleaseProposal[]> {
  const [proposals, tags] = await Promise.all([
    source.listReleaseProposals({ branch: filter.branch }),
    source.listTagNames(),
  ]);
  return findUnfinishedReleases(proposals, tags);
}

/**
 * When a merge-back PR (`v2.11 → v3.6`) is merged, opens the next hop of the cascade
 * (`v3.6 → main`). Idempotent: an open PR, or nothing left to bring, opens nothing.
 */
export async function continueMergeBack(
  source: ReleaseSource,
  forge: ReleaseForge,
  merged: { readonly number: number; readonly head: string; readonly base: string },
  options: { readonly dryRun: boolean; readonly mergeBackLabels?: MergeBackLabels | undefined },
): Promise<AppliedAction[]> {
  const [defaultBranch, branches] = await Promise.all([source.defaultBranch(), source.listBranches()]);
  const actions = mergeBackCascadeActions(merged, { defaultBranch, branches }, options.mergeBackLabels);
  return applyActions(actions, forge, options);
}
