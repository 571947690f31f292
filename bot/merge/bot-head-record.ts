/**
 * The durable record of the heads the bot made itself. After a rebase or a base merge it
 * pushed, the bot puts a completed `affineur/update` check run on the new head, naming the head
 * it came from and whether the PR's own changes are the same (`git patch-id`). Approvals given
 * on the old head then keep counting on the new one (conditions.ts).
 *
 * A check run survives restarts and lives on GitHub, and only the app itself can create one in
 * its own name (the run's `app` says who wrote it), so no contributor can forge the record: a
 * run of that name from any other app is ignored.
 */
import type { GitHubClient, RepoRef } from '../github/github-client.js';

export const botUpdateCheckName = 'affineur/update';

export interface BotUpdateRecord {
  /** The head the bot rebased (or merged the base into). */
  from: string;
  /** The PR's own diff has the same patch id as on `from`. */
  sameChanges: boolean;
}

/** A check run as `checks.listForRef` lists it; only what the record needs. */
export interface ListedCheckRun {
  name: string;
  external_id: string | null;
  app: { slug?: string } | null;
}

export function recordOfRun(run: ListedCheckRun, botLogin: string | undefined): BotUpdateRecord | undefined {
  if (run.name !== botUpdateCheckName || !botLogin) return undefined;
  if (`${run.app?.slug ?? ''}[bot]` !== botLogin) return undefined;
  try {
    const parsed = JSON.parse(run.external_id ?? '') as Partial<BotUpdateRecord>;
    if (typeof parsed.from !== 'string' || !/^[0-9a-f]{40}$/.test(parsed.from)) return undefined;
    return { from: parsed.from, sameChanges: parsed.sameChanges === true };
  } catch {
    return undefined;
  }
}

export function isOwnUpdateRun(run: ListedCheckRun, botLogin: string | undefined): boolean {
  return (
    run.name === botUpdateCheckName && botLogin !== undefined && `${run.app?.slug ?? ''}[bot]` === botLogin
  );
}

export async function writeBotUpdateRecord(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  record: BotUpdateRecord,
): Promise<void> {
  const from = record.from.slice(0, 7);
  await octokit.rest.checks.create({
    ...repo,
    name: botUpdateCheckName,
    head_sha: headSha,
    status: 'completed',
    conclusion: 'neutral',
    external_id: JSON.stringify(record),
    output: record.sameChanges
      ? {
          title: `Updated by the merge queue from ${from}`,
          summary: `The bot brought the branch up to date from ${from}. The pull request's own changes are the same (same \`git patch-id\`), so approvals given on ${from} still count.`,
        }
      : {
          title: `Updated by the merge queue from ${from}: the changes differ`,
          summary: `The bot brought the branch up to date from ${from}, and the pull request's own changes came out different (another \`git patch-id\`), so approvals given on ${from} no longer count.`,
        },
  });
}

/**
 * The head and the earlier heads whose changes it carries unchanged, following the bot's records
 * back. `firstRuns` are the head's check runs, already read; each further hop costs a request,
 * and the walk stops at the first head someone else pushed, or after `maxHops`.
 */
export async function headsWithSameChanges(
  octokit: GitHubClient,
  repo: RepoRef,
  headSha: string,
  firstRuns: readonly ListedCheckRun[],
  botLogin: string | undefined,
  /** True once the heads found cover every approval: no need to look further back. */
  enough: (heads: readonly string[]) => boolean,
  maxHops = 5,
): Promise<string[]> {
  const heads = [headSha];
  let runs = firstRuns;
  for (let hop = 0; hop < maxHops && !enough(heads); hop++) {
    const record = runs.map((run) => recordOfRun(run, botLogin)).find((r) => r !== undefined);
    if (!record?.sameChanges || heads.includes(record.from)) break;
    heads.push(record.from);
    if (enough(heads)) break;
    const { data } = await octokit.rest.checks.listForRef({
      ...repo,
      ref: record.from,
      check_name: botUpdateCheckName,
      per_page: 100,
    });
    runs = data.check_runs;
  }
  return heads;
}
