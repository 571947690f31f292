/**
 * The facts gatherer (Kodiak's `PRAPI` side): reads one PR from the API into the plain
 * `PullRequestFacts` the policy decides on, plus the few things the executor needs (clone URLs,
 * the milestone number, the bot's own check run). Six requests per PR, five of them in parallel;
 * branch protection comes from a short-lived cache shared by the PRs of one base branch. A queue
 * pass adds the timeline (who added the merge labels), and a read per earlier head when an
 * approval predates one of the bot's own updates.
 */
import { executeActions } from '../github/action-executor.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { headsWithSameChanges, isOwnUpdateRun } from './bot-head-record.js';
import { coAuthorTrailers } from './commit-message.js';
import { conflictingFiles } from './conflicting-files.js';
import { refuseLabels, untrustedLabels } from './label-trust.js';
import type { MergeRuntime } from './merge-runtime.js';
import type { MergeQueueSettings as QueuePassSettings } from './merge-settings-from-config.js';
import { mergeCheckName } from './merge-settings-from-config.js';
import type { ProtectionCache } from './protection-cache.js';
import type {
  BranchProtectionFact,
  CheckRunFact,
  PullRequestFacts,
  ReviewState,
  StatusFact,
} from './pull-request-facts.js';

/** The `affineur/merge` check run already on the head, if any. */
export interface MergeCheckRun {
  id: number;
  /** What the bot stored there: see merge-check-state.ts. */
  externalId: string;
  title: string;
  summary: string;
  status: string;
  conclusion: string | null;
  startedAt: string | undefined;
}

export interface GatheredPullRequest {
  facts: PullRequestFacts;
  createdAt: string;
  milestoneNumber: number | undefined;
  baseCloneUrl: string;
  /** Undefined when the fork was deleted. */
  headCloneUrl: string | undefined;
  headRepoFullName: string | undefined;
  mergeCheck: MergeCheckRun | undefined;
  /** When the oldest CI job still running on the head started: the CI timeout counts from it. */
  ciPendingSince: string | undefined;
}

export interface GatherOptions {
  protection: ProtectionCache;
  mergeCheckName: string;
  /** Waits between re-reads while GitHub is still computing `mergeable` (null). */
  mergeablePollMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  /** The bot's login: its own records on a head (bot-head-record.ts) are trusted, no one else's. */
  botLogin?: string | undefined;
}

const defaultPoll = [500, 1_000, 2_000];

export async function gatherPullRequestFacts(
  octokit: GitHubClient,
  repo: RepoRef,
  number: number,
  options: GatherOptions,
): Promise<GatheredPullRequest> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  let { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: number });
  // GitHub computes mergeability in the background after a push and answers null until then;
  // reading again is what starts and then collects that computation.
  for (const wait of options.mergeablePollMs ?? defaultPoll) {
    if (pull.mergeable !== null || pull.state !== 'open') break;
    await sleep(wait);
    pull = (await octokit.rest.pulls.get({ ...repo, pull_number: number })).data;
  }
  const headSha = pull.head.sha;
  const [reviews, checkRuns, combined, comparison, protection] = await Promise.all([
    octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: number, per_page: 100 }),
    octokit.rest.checks.listForRef({ ...repo, ref: headSha, filter: 'latest', per_page: 100 }),
    octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: headSha, per_page: 100 }),
    octokit.rest.repos.compareCommitsWithBasehead({
      ...repo,
      basehead: `${pull.base.ref}...${headSha}`,
      per_page: 250,
    }),
    options.protection.get(octokit, repo, pull.base.ref),
  ]);

  const runs = checkRuns.data.check_runs;
  const ours = runs.filter((run) => run.name === options.mergeCheckName).sort((a, b) => b.id - a.id)[0];
  const ci = runs.filter(
    (run) => run.name !== options.mergeCheckName && !isOwnUpdateRun(run, options.botLogin),
  );
  const statuses = combined.data.statuses;
  const pendingStarts = [
    ...ci.filter((run) => run.status !== 'completed').map((run) => run.started_at),
    ...statuses.filter((s) => s.state === 'pending').map((s) => s.created_at),
  ].filter((time): time is string => typeof time === 'string');

  const author = pull.user?.login ?? 'ghost';
  const commits = comparison.data.commits;
  const approvedOn = new Set(
    reviews.filter((r) => r.state === 'APPROVED' && r.commit_id).map((r) => r.commit_id as string),
  );
  // Only walk back the bot's records when an approval was given on an earlier head.
  const unchangedSince = await headsWithSameChanges(octokit, repo, headSha, runs, options.botLogin, (heads) =>
    [...approvedOn].every((sha) => heads.includes(sha)),
  );
  const conflicts =
    pull.mergeable === false && pull.state === 'open'
      ? await conflictingFiles({
          cloneUrl: pull.base.repo.clone_url,
          baseRef: pull.base.ref,
          number: pull.number,
          token: await installationToken(octokit),
        })
      : [];
  const facts: PullRequestFacts = {
    number: pull.number,
    title: pull.title,
    body: pull.body ?? '',
    author,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged: pull.merged,
    draft: pull.draft ?? false,
    labels: pull.labels.map((l) => l.name ?? '').filter((name) => name !== ''),
    milestone: pull.milestone?.title,
    baseRef: pull.base.ref,
    defaultBranch: pull.base.repo.default_branch,
    headRef: pull.head.ref,
    headSha,
    sameRepo: pull.head.repo?.full_name === pull.base.repo.full_name,
    maintainerCanModify: pull.maintainer_can_modify,
    mergeable: pull.mergeable,
    behindBase: comparison.data.behind_by > 0,
    hasMergeCommits: commits.some((commit) => commit.parents.length > 1),
    ...(conflicts.length > 0 ? { conflictingFiles: conflicts } : {}),
    coAuthors: commits.flatMap((c) => [
      ...(c.author?.login !== author && c.author?.type !== 'Bot' && c.commit.author?.email
        ? [{ name: c.commit.author.name ?? '', email: c.commit.author.email }]
        : []),
      ...coAuthorTrailers(c.commit.message),
    ]),
    reviews: reviews
      .filter((r) => r.user && r.submitted_at)
      .map((r) => ({
        user: r.user?.login ?? '',
        state: r.state as ReviewState,
        submittedAt: r.submitted_at ?? '',
        commitId: r.commit_id ?? undefined,
      })),
    unchangedSince,
    checkRuns: ci.map(
      (run): CheckRunFact => ({
        name: run.name,
        status: run.status as CheckRunFact['status'],
        conclusion: run.conclusion,
      }),
    ),
    statuses: statuses.map(
      (s): StatusFact => ({ context: s.context, state: s.state as StatusFact['state'] }),
    ),
    protection: withBehindHint(protection, pull.mergeable_state),
  };
  return {
    facts,
    createdAt: pull.created_at,
    milestoneNumber: pull.milestone?.number,
    baseCloneUrl: pull.base.repo.clone_url,
    headCloneUrl: pull.head.repo?.clone_url,
    headRepoFullName: pull.head.repo?.full_name,
    mergeCheck: ours && {
      id: ours.id,
      externalId: ours.external_id ?? '',
      title: ours.output.title ?? '',
      summary: ours.output.summary ?? '',
      status: ours.status,
      conclusion: ours.conclusion,
      startedAt: ours.started_at ?? undefined,
    },
    ciPendingSince: pendingStarts.sort()[0],
  };
}

/**
 * GitHub says `behind` exactly when a strict protection requires the branch to be up to date, so
 * the state tells us about `strict` even when the app may not read the protection itself.
 */
function withBehindHint(
  protection: BranchProtectionFact | undefined,
  mergeableState: string,
): BranchProtectionFact | undefined {
  if (mergeableState !== 'behind') return protection;
  return {
    requiredChecks: protection?.requiredChecks ?? [],
    requiredApprovals: protection?.requiredApprovals ?? 0,
    dismissStaleReviews: protection?.dismissStaleReviews ?? false,
    strict: true,
  };
}

async function installationToken(octokit: GitHubClient): Promise<string | undefined> {
  try {
    const auth = (await octokit.auth({ type: 'installation' })) as { token?: string };
    return auth.token;
  } catch {
    return undefined;
  }
}

/** What a queue pass gives the gatherer; a slice of run-merge-queue's context. */
export interface QueueGatherContext {
  octokit: GitHubClient;
  repo: RepoRef;
  log: Parameters<typeof executeActions>[3]['log'];
  settings: QueuePassSettings;
  runtime: Pick<MergeRuntime, 'protection' | 'permissions' | 'identity' | 'mergeablePollMs'>;
}

/**
 * Gathers a PR for a queue pass, and enforces who may queue it: labels that need write access
 * but were added by someone without it are removed (with a comment saying why) and do not count
 * in the facts, so the policy never acts on them, whatever the order the webhooks came in.
 */
export async function gatherForQueue(ctx: QueueGatherContext, number: number): Promise<GatheredPullRequest> {
  const { login } = await ctx.runtime.identity();
  const pr = await gatherPullRequestFacts(ctx.octokit, ctx.repo, number, {
    protection: ctx.runtime.protection,
    mergeCheckName,
    botLogin: login,
    ...(ctx.runtime.mergeablePollMs ? { mergeablePollMs: ctx.runtime.mergeablePollMs } : {}),
  });
  if (pr.facts.state !== 'open') return pr;
  const untrusted = await untrustedLabels(
    ctx.octokit,
    ctx.repo,
    number,
    pr.facts.labels,
    ctx.settings.policy,
    login,
    ctx.runtime.permissions,
  );
  if (untrusted.length === 0) return pr;
  await executeActions(ctx.octokit, ctx.repo, refuseLabels(number, untrusted), {
    dryRun: ctx.settings.dryRun,
    log: ctx.log,
  });
  const refused = new Set(untrusted.map((u) => u.label));
  return { ...pr, facts: { ...pr.facts, labels: pr.facts.labels.filter((label) => !refused.has(label)) } };
}
