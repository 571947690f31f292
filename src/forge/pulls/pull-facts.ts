/**
 * Gathers what git and the state know about a pull request — base and head commits, conflicts,
 * counts — and runs the merge rules over it. Open PRs are computed fresh on every read (git
 * answers in milliseconds on sandbox-sized repositories), so `mergeable` is never stale.
 */
import { roleOn } from '../auth/access.js';
import type { ForgeContext } from '../forge-context.js';
import type { IssueRecord, PullCounts, PullFields, RepoRecord } from '../state/model.js';
import { decideMergeability, type MergeVerdict } from './merge-rules.js';

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

export async function countsBetween(
  ctx: ForgeContext,
  repo: RepoRecord,
  base: string,
  head: string,
): Promise<PullCounts> {
  const git = ctx.git(repo);
  const commits = await git.log(head, { exclude: [base] });
  const mergeBase = (await git.mergeBase(base, head)) ?? base;
  const files = await git.changedFiles(mergeBase, head);
  return {
    baseSha: base,
    commits: commits.length,
    additions: files.reduce((sum, f) => sum + f.additions, 0),
    deletions: files.reduce((sum, f) => sum + f.deletions, 0),
    changedFiles: files.length,
  };
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
    counts = await countsBetween(ctx, repo, baseSha, headSha);
    mergeBase = await git.mergeBase(baseSha, headSha);
    if (open) {
      conflicts = !(await git.mergeTree(baseSha, headSha)).clean;
      behind = !(await git.isAncestor(baseSha, headSha));
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
