/** Gathers the facts `pushRefusals` needs for one ref update, from the state and the repository. */
import { roleOn } from '../auth/access.js';
import type { ForgeContext } from '../forge-context.js';
import type { RefUpdate } from '../git/smart-http.js';
import { latestChecks } from '../pulls/merge-rules.js';
import type { AccountRecord, RepoRecord } from '../state/model.js';
import { pushRefusals } from './push-rules.js';

export async function refusalsFor(
  ctx: ForgeContext,
  repo: RepoRecord,
  update: RefUpdate,
  pusher: AccountRecord,
  options: { assumeFastForward?: boolean } = {},
): Promise<string[]> {
  if (!update.ref.startsWith('refs/heads/')) return [];
  const branch = update.ref.slice('refs/heads/'.length);
  const protection = repo.protections[branch];
  if (!protection) return [];
  const state = ctx.store.state;
  const fastForward =
    options.assumeFastForward === true ||
    update.before === null ||
    update.after === null ||
    (await ctx.git(repo).isAncestor(update.before, update.after));
  const isAdmin =
    pusher.type !== 'Bot' && roleOn(state, { kind: 'user', login: pusher.login }, repo) === 'admin';
  return pushRefusals({
    branch,
    protection,
    kind: update.before === null ? 'create' : update.after === null ? 'delete' : 'update',
    fastForward,
    isAdmin,
    checks: latestChecks({
      headSha: update.after ?? '',
      statuses: state.statuses.filter((s) => s.repoId === repo.id),
      checkRuns: state.checkRuns.filter((c) => c.repoId === repo.id),
    }),
  });
}

/** The branches among `updates` whose protection refuses force pushes. */
export function noForceRefs(repo: RepoRecord, updates: RefUpdate[]): string[] {
  return updates
    .map((u) => u.ref)
    .filter((ref) => {
      const protection = ref.startsWith('refs/heads/')
        ? repo.protections[ref.slice('refs/heads/'.length)]
        : undefined;
      return protection !== undefined && !protection.allowForcePushes;
    });
}
