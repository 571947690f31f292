/**
 * The publish step's decisions, from what the accepted proposal carries: the version is the
 * proposal's tag, the codename is the one release/codenames.json records for its line, and the
 * release notes are its CHANGELOG.md section. Reading them back from the merged commit, rather
 * than re-planning, means publish releases exactly what was reviewed.
 */

import { AffineurError } from '../../src/errors/affineur-error.js';
import { changelogSectionFor } from '../changelog/prepend-to-changelog.js';
import { type CheeseCatalog, cheeseCatalog } from '../cheeses/cheese-catalog.js';
import { chooseCodename } from '../cheeses/choose-codename.js';
import { readCodenameHistory } from '../cheeses/codename-history.js';
import { parseCodenamesFile } from '../cheeses/codenames-file.js';
import type { PublishedRelease, ReleaseProposal, TagFact } from '../collect/release-source.js';
import { releaseLine, requireVersion } from '../version/version.js';
import {
  defaultMergeBackLabels,
  type MergeBackLabels,
  mergeBackBase,
  mergeBackPullRequest,
} from './merge-back.js';
import type { ReleaseAction } from './release-action.js';
import type { ForgeCapabilities } from './release-facts.js';
import { releaseTagMessage, releaseTitle } from './release-naming.js';

export interface PublishFacts {
  readonly proposal: ReleaseProposal;
  /** The branch the proposal was merged into (the release's base branch). */
  readonly branch: string;
  readonly defaultBranch: string;
  readonly branches: readonly string[];
  readonly tags: readonly TagFact[];
  readonly releases: readonly PublishedRelease[];
  /** CHANGELOG.md and release/codenames.json at the proposal's commit. */
  readonly changelog: string | undefined;
  readonly codenames: string | undefined;
}

export interface PublishPlan {
  readonly tag: string;
  readonly sha: string;
  readonly releaseName: string;
  readonly tagMessage: string;
  readonly notes: string;
  readonly prerelease: boolean;
  readonly actions: readonly ReleaseAction[];
}

export function planPublish(
  facts: PublishFacts,
  capabilities: ForgeCapabilities,
  catalog: CheeseCatalog = cheeseCatalog,
  mergeBackLabels: MergeBackLabels = defaultMergeBackLabels,
): PublishPlan {
  const { proposal } = facts;
  const version = requireVersion(proposal.tag, 'release to publish');
  const line = releaseLine(version);
  const notes =
    facts.changelog === undefined ? undefined : changelogSectionFor(facts.changelog, proposal.tag);
  if (notes === undefined) {
    throw new AffineurError(
      'AFF_ERR_RELEASE_NOT_PREPARED',
      `CHANGELOG.md at ${proposal.sha.slice(0, 12)} has no section for ${proposal.tag}.`,
      { hint: 'Publish the commit that `affineur release prepare` made (or its merged pull request).' },
    );
  }
  const record = parseCodenamesFile(facts.codenames);
  // Tags and releases of this very version must not name its line: they may be half-done runs.
  const history = readCodenameHistory(
    {
      record,
      tags: facts.tags.filter((t) => t.name !== proposal.tag),
      releases: facts.releases.filter((r) => r.tagName !== proposal.tag),
    },
    catalog,
  );
  const codename = chooseCodename({ line, history, catalog });
  const releaseName = releaseTitle(proposal.tag, codename);
  const tagMessage = releaseTagMessage(proposal.tag, codename);
  const prerelease = version.prerelease !== null;

  const actions: ReleaseAction[] = [
    { kind: 'create-tag', tag: proposal.tag, sha: proposal.sha, message: tagMessage },
  ];
  if (capabilities.releases) {
    actions.push({ kind: 'create-release', tag: proposal.tag, name: releaseName, body: notes, prerelease });
  }
  if (!prerelease && version.patch === 0 && !facts.branches.includes(line)) {
    actions.push({ kind: 'create-branch', name: line, sha: proposal.sha });
  }
  // After a patch on a release branch, the first hop of the merge-back cascade; the bot opens
  // the next hop when this one is merged (see mergeBackCascadeActions).
  const mergeBackTo = capabilities.pullRequests ? mergeBackBase(facts.branch, facts) : undefined;
  if (mergeBackTo !== undefined) {
    const pr = mergeBackPullRequest(facts.branch, mergeBackTo, `Release ${proposal.tag}.`, mergeBackLabels);
    actions.push({ kind: 'open-pull-request', purpose: 'merge-back', ...pr });
  }
  return { tag: proposal.tag, sha: proposal.sha, releaseName, tagMessage, notes, prerelease, actions };
}

/**
 * The next hop of a merge-back cascade: once `v2.11 → v3.6` is merged, `v3.6` goes on into the
 * newest line or the default branch. Nothing after a merge-back into the default branch.
 */
export function mergeBackCascadeActions(
  merged: { readonly number: number; readonly head: string; readonly base: string },
  facts: { readonly defaultBranch: string; readonly branches: readonly string[] },
  mergeBackLabels: MergeBackLabels = defaultMergeBackLabels,
): ReleaseAction[] {
  const next = mergeBackBase(merged.base, facts);
  if (next === undefined || mergeBackBase(merged.head, facts) === undefined) return [];
  const why = `#${merged.number} merged \`${merged.head}\` into \`${merged.base}\`.`;
  return [
    {
      kind: 'open-pull-request',
      purpose: 'merge-back',
      ...mergeBackPullRequest(merged.base, next, why, mergeBackLabels),
    },
  ];
}

/**
 * Accepted release proposals whose tag does not exist yet: a merged "Prepare release" PR that
 * was never published (the bot crashed, a webhook was lost). The bot's sweep publishes them.
 */
export function findUnfinishedReleases(
  proposals: readonly ReleaseProposal[],
  tags: readonly (string | Pick<TagFact, 'name'>)[],
): ReleaseProposal[] {
  const tagged = new Set(tags.map((t) => (typeof t === 'string' ? t : t.name)));
  const seen = new Set<string>();
  return proposals.filter((p) => {
    if (tagged.has(p.tag) || seen.has(p.tag)) return false;
    seen.add(p.tag);
    return true;
  });
}
