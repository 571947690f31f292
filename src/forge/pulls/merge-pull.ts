/**
 * Merging a pull request with real git objects in GitHub's three shapes:
 * - merge: a commit with two parents, "Merge pull request #N from owner/branch" + the PR title;
 * - squash: one commit on the base tip, "<title> (#N)" + the squashed messages, by the PR author;
 * - rebase: every PR commit replayed on the base tip, authors kept, committed by GitHub.
 * The base branch moves with compare-and-swap, so a concurrent push makes the merge fail (409)
 * instead of losing commits.
 */
import type { ForgeContext } from '../forge-context.js';
import { afterPush } from '../git/after-push.js';
import type { CommitInfo, GitIdentity } from '../git/bare-repository.js';
import { ApiError } from '../http/api-error.js';
import type { AccountRecord, RepoRecord } from '../state/model.js';
import { accountOrThrow, repoById } from '../state/queries.js';
import { isoSeconds } from '../state/timestamp.js';
import { emitPullRequest } from '../webhooks/emit-events.js';
import { type OpenPull, pullFacts } from './pull-facts.js';
import { recordMerge } from './record-merge.js';

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export interface MergeRequest {
  method: MergeMethod;
  /** The head the caller reviewed; a mismatch means someone pushed since (409). */
  sha?: string;
  commitTitle?: string;
  commitMessage?: string;
}

/** GitHub commits merges as itself; the author is the person who merged. */
export const githubCommitter: GitIdentity = { name: 'GitHub', email: 'noreply@github.com' };

export function identityOf(account: AccountRecord, date?: string): GitIdentity {
  return {
    name: account.name ?? account.login,
    email: account.email ?? `${account.id}+${account.login}@users.noreply.github.com`,
    ...(date ? { date } : {}),
  };
}

const methodNotAllowed: Record<MergeMethod, string> = {
  merge: 'Merge commits are not allowed on this repository.',
  squash: 'Squash merges are not allowed on this repository.',
  rebase: 'Rebase merges are not allowed on this repository.',
};

export async function mergePull(
  ctx: ForgeContext,
  repo: RepoRecord,
  pull: OpenPull,
  request: MergeRequest,
  actor: AccountRecord,
): Promise<{ sha: string; message: string }> {
  if (pull.state !== 'open') throw new ApiError(405, 'Pull Request is not mergeable');
  if (request.sha !== undefined && request.sha !== pull.pull.headSha) {
    throw new ApiError(409, 'Head branch was modified. Review and try the merge again.');
  }
  const allowed =
    request.method === 'merge'
      ? repo.allowMergeCommit
      : request.method === 'squash'
        ? repo.allowSquashMerge
        : repo.allowRebaseMerge;
  if (!allowed) throw new ApiError(405, methodNotAllowed[request.method]);
  const facts = await pullFacts(ctx, repo, pull);
  if (facts.verdict.blockers.length > 0) {
    throw new ApiError(405, facts.verdict.blockers.join('\n'));
  }

  const git = ctx.git(repo);
  const base = facts.baseSha;
  const head = pull.pull.headSha;
  const stamp = isoSeconds(ctx.now());
  const author = identityOf(actor, stamp);
  const committer = { ...githubCommitter, date: stamp };
  const headRepo = repoById(ctx.store.state, pull.pull.headRepoId);
  // The PR's own commits: a squash lists them in its message, a rebase replays them.
  const prCommits = () => git.log(head, { exclude: [base], reverse: true });
  let newTip: string;
  if (request.method === 'merge') {
    const merged = await git.mergeTree(base, head);
    const title =
      request.commitTitle ??
      `Merge pull request #${pull.number} from ${headRepo?.ownerLogin ?? repo.ownerLogin}/${pull.pull.headRef}`;
    const body = request.commitMessage ?? pull.title;
    newTip = await git.commitTree({
      tree: merged.tree,
      parents: [base, head],
      message: `${title}\n\n${body}`,
      author,
      committer,
    });
  } else if (request.method === 'squash') {
    const merged = await git.mergeTree(base, head);
    const title = request.commitTitle ?? `${pull.title} (#${pull.number})`;
    const body = request.commitMessage ?? squashBody(await prCommits());
    const prAuthor = identityOf(accountOrThrow(ctx.store.state, pull.userLogin), stamp);
    newTip = await git.commitTree({
      tree: merged.tree,
      parents: [base],
      message: body ? `${title}\n\n${body}` : title,
      author: prAuthor,
      committer,
    });
  } else {
    newTip = base;
    for (const commit of (await prCommits()).filter((c) => c.parents.length <= 1)) {
      const tree = await git.cherryPickTree(commit, newTip);
      if (!tree) throw new ApiError(405, "This branch can't be rebased");
      newTip = await git.commitTree({
        tree,
        parents: [newTip],
        message: commit.message,
        author: commit.author,
        committer,
      });
    }
  }

  const baseRef = `refs/heads/${pull.pull.baseRef}`;
  if (!(await git.updateRef(baseRef, newTip, base))) {
    throw new ApiError(409, 'Base branch was modified. Review and try the merge again.');
  }
  recordMerge(pull, { baseSha: base, counts: facts, mergedBy: actor, mergeCommitSha: newTip, at: stamp });

  await afterPush(ctx, repo, [{ ref: baseRef, before: base, after: newTip }], actor);
  await emitPullRequest(ctx, repo, pull, 'closed', actor);
  if (repo.deleteBranchOnMerge && headRepo?.id === repo.id && pull.pull.headRef !== repo.defaultBranch) {
    await git.deleteRef(`refs/heads/${pull.pull.headRef}`);
  }
  return { sha: newTip, message: 'Pull Request successfully merged' };
}

function squashBody(commits: CommitInfo[]): string {
  if (commits.length === 1) {
    const [only] = commits;
    return only ? only.message.split('\n').slice(1).join('\n').trim() : '';
  }
  return commits.map((c) => `* ${c.message}`).join('\n\n');
}

/** `PUT /pulls/{n}/update-branch`: merges the base into the head branch, as GitHub's button does. */
export async function updateBranch(
  ctx: ForgeContext,
  repo: RepoRecord,
  pull: OpenPull,
  actor: AccountRecord,
  expectedHeadSha: string | undefined,
): Promise<void> {
  if (expectedHeadSha !== undefined && expectedHeadSha !== pull.pull.headSha) {
    throw new ApiError(422, 'expected_head_sha does not match the pull request head.');
  }
  const headRepo = repoById(ctx.store.state, pull.pull.headRepoId);
  if (!headRepo) throw new ApiError(422, 'The head repository of this pull request no longer exists.');
  const git = ctx.git(repo);
  const base = await git.readRef(`refs/heads/${pull.pull.baseRef}`);
  const head = pull.pull.headSha;
  if (!base) throw new ApiError(422, 'The base branch of this pull request no longer exists.');
  if (await git.isAncestor(base, head))
    throw new ApiError(422, 'There are no new commits on the base branch.');
  const merged = await git.mergeTree(head, base);
  if (!merged.clean) throw new ApiError(422, 'merge conflict between base and head');
  const stamp = isoSeconds(ctx.now());
  const commit = await git.commitTree({
    tree: merged.tree,
    parents: [head, base],
    message: `Merge branch '${pull.pull.baseRef}' into ${pull.pull.headRef}`,
    author: identityOf(actor, stamp),
    committer: { ...githubCommitter, date: stamp },
  });
  const headGit = ctx.git(headRepo);
  if (headRepo.id !== repo.id) {
    // The new merge commit exists only in the base repository; ship it to the fork first.
    await git.updateRef('refs/forge/update-branch', commit);
    await headGit.fetchRef(git.path, 'refs/forge/update-branch', 'refs/forge/update-branch');
    await git.deleteRef('refs/forge/update-branch');
    await headGit.deleteRef('refs/forge/update-branch');
  }
  const headRef = `refs/heads/${pull.pull.headRef}`;
  if (!(await headGit.updateRef(headRef, commit, head))) {
    throw new ApiError(422, 'expected_head_sha does not match the pull request head.');
  }
  await afterPush(ctx, headRepo, [{ ref: headRef, before: head, after: commit }], actor);
}
