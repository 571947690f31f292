/**
 * Moves branch and tag refs for REST calls (contents writes, the git refs API, releases that
 * create their tag) the way a git push would: a compare-and-swap on the ref, then the same
 * follow-up as a push — webhooks, pull request heads, CI. Branch protection applies first.
 */
import type { ForgeContext } from '../forge-context.js';
import { ApiError } from '../http/api-error.js';
import { refusalsFor } from '../protection/check-push.js';
import type { AccountRecord, RepoRecord } from '../state/model.js';
import { afterPush } from './after-push.js';
import type { RefUpdate } from './smart-http.js';

export async function applyRefUpdate(
  ctx: ForgeContext,
  repo: RepoRecord,
  update: RefUpdate,
  pusher: AccountRecord,
): Promise<void> {
  const refusals = await refusalsFor(ctx, repo, update, pusher);
  if (refusals.length > 0) {
    throw new ApiError(422, `Protected branch update failed for ${update.ref}. ${refusals.join(' ')}`, {
      documentationUrl: 'https://docs.github.com/articles/about-protected-branches',
    });
  }
  const git = ctx.git(repo);
  const moved =
    update.after === null
      ? await git.deleteRef(update.ref, update.before ?? undefined)
      : await git.updateRef(update.ref, update.after, update.before);
  // Requests are serialized, so this only happens when a git push raced the API call.
  if (!moved) throw new ApiError(409, `Reference ${update.ref} moved while it was being updated; retry.`);
  // Only branches and tags are pushes as far as webhooks and pull requests are concerned.
  if (/^refs\/(heads|tags)\//.test(update.ref)) await afterPush(ctx, repo, [update], pusher);
}
