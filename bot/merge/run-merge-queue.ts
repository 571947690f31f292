/**
 * One pass over one merge queue (a repository and a base branch), under that queue's lock.
 *
 * The queue is not stored anywhere: it is the open PRs with the ready label, in `orderQueue`
 * order, and the progress of its head is on GitHub too (the in-progress and retry labels, the
 * check run). So a pass is always "look at GitHub and take the next step", and a bot that
 * crashed mid-queue simply resumes with its next event or sweep.
 *
 * The pass walks the queue from the front. A PR that is done with (merged, handed to a human,
 * stepping aside for a retry, paused) lets the walk go on, and so does a PR that waits for
 * something that has not reported (a required check, a review): it keeps its place, its check
 * says what it waits for, and the next ready PR is not blocked behind it. The first PR that is
 * busy (the bot just brought it up to date and CI runs on its new head) holds the queue: one PR
 * is updated and merged at a time per base branch; many can wait.
 */
import type { Logger } from '../../src/log/logger.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { decideInQueue } from './decide-in-queue.js';
import { gatherForQueue } from './gather-pull-request-facts.js';
import { queuedCheckOutput } from './merge-check-output.js';
import { MergeExecutor } from './merge-executor.js';
import type { MergeRuntime } from './merge-runtime.js';
import type { MergeQueueSettings } from './merge-settings-from-config.js';
import type { HeldLock } from './queue-lock.js';
import { orderQueue } from './queue-order.js';

/** A ready PR as the pulls list shows it. */
export interface ListedPullRequest {
  number: number;
  baseRef: string;
  headSha: string;
  labels: readonly string[];
  createdAt: string;
}

export interface QueuePassContext {
  octokit: GitHubClient;
  repo: RepoRef;
  log: Pick<Logger, 'info' | 'warn'>;
  settings: MergeQueueSettings;
  runtime: MergeRuntime;
  held: HeldLock;
  installationId?: number | undefined;
  /** Base branches of every open PR of the repository (such branches are never rewritten). */
  openBases?: ReadonlySet<string>;
  /**
   * A wake-up pass (a retry came due): only time passed, and only for the focus PR, so the walk
   * looks at it and at the PRs that may hold the queue ahead of it (in progress), not at every
   * ready PR, whose own events and wake-ups look after them. Keeps a due retry O(1) in requests.
   */
  focusOnly?: boolean;
}

export interface QueuePassResult {
  merged: number[];
  /** PRs that wait in their place for something that has not reported. */
  waiting: number[];
  /** The PR holding the queue at the end of the pass, if any. */
  holding: number | undefined;
}

/**
 * @param ready the open PRs with the ready label on this base branch
 * @param focus a PR the triggering event was about: it gets its check run even when it waits
 *   behind the head, so everyone can see where it stands
 */
export async function runMergeQueue(
  ctx: QueuePassContext,
  ready: readonly ListedPullRequest[],
  focus: number | undefined,
): Promise<QueuePassResult> {
  const policy = ctx.settings.policy;
  const executor = new MergeExecutor(ctx);
  const gather = (number: number) => gatherForQueue(ctx, number);
  // Whoever is waiting for a human is out of the queue until the label goes.
  const queue = orderQueue(
    ready
      .filter((pr) => !pr.labels.includes(policy.needHumanLabel))
      .map((pr) => ({ ...pr, readySince: pr.createdAt })),
    policy,
  );
  const result: QueuePassResult = { merged: [], waiting: [], holding: undefined };
  const seen = new Set<number>();
  for (const entry of queue) {
    if (ctx.focusOnly && entry.number !== focus && !entry.labels.includes(policy.inProgressLabel)) continue;
    const pr = await gather(entry.number);
    seen.add(entry.number);
    const step = decideInQueue(pr, ctx.settings, ctx.runtime.now());
    ctx.log.info(
      { pr: entry.number, decision: step.decision.kind, sha: pr.facts.headSha },
      `merge queue ${pr.facts.baseRef}: #${entry.number} → ${step.decision.kind}`,
    );
    const outcome = await executor.carryOut(pr, step);
    if (outcome === 'merged') result.merged.push(entry.number);
    if (outcome === 'waiting') result.waiting.push(entry.number);
    if (outcome === 'hold') {
      result.holding = entry.number;
      break;
    }
  }

  const position = queue.findIndex((entry) => entry.number === focus);
  if (focus !== undefined && position >= 0 && !seen.has(focus) && result.holding !== undefined) {
    // The focus PR waits behind the head: show it where it stands, and hand it to a human now
    // if it could not be merged anyway (a missing review does not need to wait for its turn).
    const pr = await gather(focus);
    const step = decideInQueue(pr, ctx.settings, ctx.runtime.now());
    if (step.decision.kind === 'needs-human')
      await executor.needsHuman(pr, step.decision.reasons, step.conditions);
    else if (step.decision.kind === 'paused') await executor.carryOut(pr, step);
    else if (step.decision.kind !== 'skip')
      await executor.publishCheck(pr, queuedCheckOutput(step.conditions, result.holding, position + 1));
  }
  return result;
}
