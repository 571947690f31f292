/**
 * What follows a ref update, whether it came from `git push`, a merge or an API write: the
 * `push`, `create` and `delete` webhooks, moving the heads of pull requests built on the branch (with
 * `refs/pull/N/head` and a `synchronize` event), closing as merged the pull requests whose head
 * the push brought into their base (GitHub does the same: a fast-forward pushed by hand or by a
 * bot merges the PR), and telling the CI runner.
 */
import { requestCheckSuites } from '../api/checks.js';
import { dismissStaleApprovals } from '../api/reviews.js';
import type { ForgeContext } from '../forge-context.js';
import { pairFacts } from '../pulls/pair-facts.js';
import type { OpenPull } from '../pulls/pull-facts.js';
import { recordMerge } from '../pulls/record-merge.js';
import type { AccountRecord, RepoRecord } from '../state/model.js';
import { openPullsWithHead, repoById } from '../state/queries.js';
import { isoSeconds } from '../state/timestamp.js';
import { emitPullRequest, envelope } from '../webhooks/emit-events.js';
import { zeroSha } from './bare-repository.js';
import type { RefUpdate } from './smart-http.js';

export async function afterPush(
  ctx: ForgeContext,
  repo: RepoRecord,
  updates: RefUpdate[],
  pusher: AccountRecord,
): Promise<void> {
  const stamp = isoSeconds(ctx.now());
  repo.pushedAt = stamp;
  const git = ctx.git(repo);
  const heads = await git.refs('refs/heads/');
  for (const update of updates) {
    const isTag = update.ref.startsWith('refs/tags/');
    const short = update.ref.replace(/^refs\/(heads|tags)\//, '');
    const base = envelope(ctx, repo, pusher);
    const afterCommit = update.after ? await git.commit(update.after) : null;
    const others = [...heads.entries()].filter(([ref]) => ref !== update.ref).map(([, sha]) => sha);
    const exclude = update.before ? [update.before] : others;
    const [newCommits, forced] = await Promise.all([
      update.after && afterCommit ? git.log(update.after, { exclude, limit: 20, reverse: true }) : [],
      update.before !== null && update.after !== null
        ? git.isAncestor(update.before, update.after).then((fastForward) => !fastForward)
        : false,
    ]);
    const commitUrl = (sha: string) => `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}/commit/${sha}`;
    const toWebhookCommit = async (c: (typeof newCommits)[number]) => ({
      id: c.sha,
      tree_id: c.tree,
      distinct: true,
      message: c.message,
      timestamp: c.committer.date,
      url: commitUrl(c.sha),
      author: { name: c.author.name, email: c.author.email },
      committer: { name: c.committer.name, email: c.committer.email },
      ...(await git.commitPaths(c.sha)),
    });
    ctx.events.emit(
      'push',
      {
        ref: update.ref,
        before: update.before ?? zeroSha,
        after: update.after ?? zeroSha,
        created: update.before === null,
        deleted: update.after === null,
        forced,
        base_ref: null,
        compare: `${ctx.urls.web}/${repo.ownerLogin}/${repo.name}/compare/${(update.before ?? zeroSha).slice(0, 12)}...${(update.after ?? zeroSha).slice(0, 12)}`,
        commits: await Promise.all(newCommits.map(toWebhookCommit)),
        head_commit: afterCommit ? await toWebhookCommit(afterCommit) : null,
        pusher: { name: pusher.login, email: pusher.email ?? `${pusher.login}@users.noreply.github.com` },
        ...base,
      },
      repo,
    );
    if (update.before === null) {
      ctx.events.emit(
        'create',
        {
          ref: short,
          ref_type: isTag ? 'tag' : 'branch',
          master_branch: repo.defaultBranch,
          description: repo.description,
          pusher_type: 'user',
          ...base,
        },
        repo,
      );
    }
    if (update.after === null) {
      ctx.events.emit(
        'delete',
        { ref: short, ref_type: isTag ? 'tag' : 'branch', pusher_type: 'user', ...base },
        repo,
      );
      continue;
    }
    if (isTag) continue;
    await requestCheckSuites(ctx, repo, update.after, update.before, pusher, heads);
    await moveHeads(ctx, repo, short, update.after, pusher);
    await closeMergedByPush(ctx, repo, short, update.before, update.after, pusher);
    ctx.pushes.pushed(repo, update.ref, update.after);
  }
}

/** Points every open PR whose head is `branch` of `headRepo` at its new commit. */
async function moveHeads(
  ctx: ForgeContext,
  headRepo: RepoRecord,
  branch: string,
  sha: string,
  sender: AccountRecord,
) {
  for (const issue of openPullsWithHead(ctx.store.state, headRepo.id, branch) as OpenPull[]) {
    if (issue.pull.headSha === sha) continue;
    const base = repoById(ctx.store.state, issue.repoId);
    if (!base) continue;
    const before = issue.pull.headSha;
    await syncPullRef(ctx, base, headRepo, issue.number, branch);
    issue.pull.headSha = sha;
    issue.updatedAt = isoSeconds(ctx.now());
    await emitPullRequest(ctx, base, issue, 'synchronize', sender, { before, after: sha });
    await dismissStaleApprovals(ctx, base, issue, sender);
  }
}

/**
 * Open PRs into `branch` whose head the push brought in (contained in the new tip, not in the
 * old one) are merged: closed, `merged` by the pusher, the head as their merge commit.
 */
async function closeMergedByPush(
  ctx: ForgeContext,
  repo: RepoRecord,
  branch: string,
  before: string | null,
  after: string,
  pusher: AccountRecord,
) {
  const git = ctx.git(repo);
  const pulls = ctx.store.state.issues.filter(
    (i) => i.pull && i.state === 'open' && i.repoId === repo.id && i.pull.baseRef === branch,
  ) as OpenPull[];
  for (const issue of pulls) {
    const head = issue.pull.headSha;
    if (!(await git.isAncestor(head, after))) continue;
    if (before !== null && (await git.isAncestor(head, before))) continue;
    const pair = await pairFacts(git, before ?? after, head);
    recordMerge(issue, {
      baseSha: before ?? after,
      counts: pair,
      mergedBy: pusher,
      mergeCommitSha: head,
      at: isoSeconds(ctx.now()),
    });
    await emitPullRequest(ctx, repo, issue, 'closed', pusher);
  }
}

/** Keeps `refs/pull/N/head` in the base repository, fetching from the fork when the head lives there. */
export async function syncPullRef(
  ctx: ForgeContext,
  base: RepoRecord,
  headRepo: RepoRecord,
  number: number,
  branch: string,
): Promise<void> {
  const target = `refs/pull/${number}/head`;
  if (base.id === headRepo.id) {
    const sha = await ctx.git(base).readRef(`refs/heads/${branch}`);
    if (sha) await ctx.git(base).updateRef(target, sha);
    return;
  }
  await ctx.git(base).fetchRef(ctx.git(headRepo).path, `refs/heads/${branch}`, target);
}
