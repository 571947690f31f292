/**
 * What git says about a base commit and a head commit: the commits between them, the diff
 * counts, the merge base and whether they merge cleanly. Commits are immutable, so the answer
 * for a pair of SHAs never changes and is remembered: reading a pull request, or building its
 * webhook payload, again after nothing moved costs no git process. A moved branch is a new
 * pair, so `mergeable` is always computed for the commits the branches point at now.
 */
import type { BareRepository } from '../git/bare-repository.js';
import { ObjectAnswers } from '../git/object-answers.js';

export interface PairFacts {
  /** Commits reachable from head but not from base. */
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeBase: string | null;
  /** Whether base is an ancestor of head, i.e. head is up to date with base. */
  upToDate: boolean;
  /** Whether a three-way merge of the two has conflicts. */
  conflicts: boolean;
}

/** Enough for every open pull request of a busy sandbox; the oldest pairs go first. */
const remembered = new ObjectAnswers(5000);

export function pairFacts(git: BareRepository, base: string, head: string): Promise<PairFacts> {
  return remembered.answer(`${git.path}\0${base}\0${head}`, () => computePairFacts(git, base, head));
}

async function computePairFacts(git: BareRepository, base: string, head: string): Promise<PairFacts> {
  const mergeBase = await git.mergeBase(base, head);
  const [commits, stat, clean] = await Promise.all([
    git.countCommits(head, base),
    // GitHub counts the files of the three-dot diff: what head changed since it left base.
    git.diffStat(mergeBase ?? base, head),
    // Unrelated histories have nothing to merge on.
    mergeBase ? git.mergeTree(base, head).then((m) => m.clean) : false,
  ]);
  return {
    commits,
    additions: stat.additions,
    deletions: stat.deletions,
    changedFiles: stat.files,
    mergeBase,
    // With base an ancestor of head, their one merge base is base itself.
    upToDate: mergeBase === base,
    conflicts: !clean,
  };
}
