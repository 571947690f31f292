/**
 * Gathers what git and the state know about a pull request — base and head commits, conflicts,
 * counts — and runs the merge rules over it. The base branch is read on every call and the
 * git facts are those of the current base and head commits (remembered per pair of SHAs, see
 * `pair-facts.ts`), so `mergeable` is never stale.
 */
import { roleOn } from '../auth/access.js';
import type { ForgeContext } from '../forge-context.js';
import type { IssueRecord, PullCounts, PullFields, RepoRecord } from '../state/model.js';
import { decideMergeability, type MergeVerdict } from './merge-rules.js';
import { pairFacts } from './pair-facts.js';

export interface PullFacts extends PullCounts {
  headSha: string;
  mergeBase: string | null;
  conflicts: boolean | null;
  behind: boolean;
  verdict: MergeVerdict;
  rebaseable: boolean | null;
}

export type OpenPull = IssueRecord & { pull: PullFields };

export function isPull(issue: IssueRecord | undefined): issue is OpenPull {
  return issue?.pull !== null && issue?.pull !== undefined;
}

export async function pullFacts(ctx: ForgeContext, repo: RepoRecord, issue: OpenPull): Promise<PullFacts> {
  const state = ctx.store.state;
  const pull = issue.pull;
  const git = ctx.git(repo);
  const headSha = pull.headSha;
  const baseSha = (await git.readRef(`refs/heads/${pull.baseRef}`)) ?? pull.frozen?.baseSha ?? headSha;
  const open = issue.state === 'open';
  let counts: PullCounts;
  let conflicts: boolean | null = null;
  let behind = false;
  let mergeBase: string | null = null;
  let rebaseable: boolean | null = null;
  if (!open && pull.frozen) {
    counts = pull.frozen;
  } else {
    const pair = await pairFacts(git, baseSha, headSha);
    counts = {
      baseSha,
      commits: pair.commits,
      additions: pair.additions,
      deletions: pair.deletions,
      changedFiles: pair.changedFiles,
    };
    mergeBase = pair.mergeBase;
    if (open) {
      conflicts = pair.conflicts;
      behind = !pair.upToDate;
      rebaseable = !conflicts;
    }
  }
  const verdict = decideMergeability({
    open,
    draft: pull.draft,
    headSha,
    conflicts,
    behind,
    protection: repo.protections[pull.baseRef],
    statuses: state.statuses.filter((s) => s.repoId === repo.id),
    checkRuns: state.checkRuns.filter((c) => c.repoId === repo.id),
    reviews: state.reviews.filter((r) => r.repoId === repo.id && r.number === issue.number),
    roleOf: (login) => roleOn(state, { kind: 'user', login }, repo),
  });
  return {
    ...counts,
    baseSha: open ? baseSha : counts.baseSha,
    headSha,
    mergeBase,
    conflicts,
    behind,
    verdict,
    rebaseable,
  };
}
