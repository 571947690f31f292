/**
 * The executor (Kodiak's shape: facts → decision → actions): carries one queue decision out
 * with Octokit and git, and tells the queue whether to go on to the next PR or hold.
 *
 * In a dry run every action is logged as one line and nothing changes on GitHub; branch updates
 * still run in a scratch clone, with `git push --dry-run`, so a dry run also proves the rebase.
 */
import type { Logger } from '../../src/log/logger.js';
import { redactText } from '../../src/log/logger.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import { writeBotUpdateRecord } from './bot-head-record.js';
import { rewriteRefusal } from './branch-rewrite-guard.js';
import type { UpdateResult } from './branch-updater.js';
import { closingIssueNumbers } from './closing-issues.js';
import type { ConditionResult } from './conditions.js';
import type { QueueStep } from './decide-in-queue.js';
import { type MergeDecision, retryCount, type UpdateStrategy } from './decide-next-step.js';
import type { GatheredPullRequest } from './gather-pull-request-facts.js';
import {
  type CheckRunOutput,
  dryRunCheckOutput,
  finalCheckOutput,
  mergeCheckOutput,
  mergedCheckOutput,
  retryPendingCheckOutput,
  updatingCheckOutput,
} from './merge-check-output.js';
import { decodeMergeCheckState, encodeMergeCheckState, type MergeCheckState } from './merge-check-state.js';
import type { MergeRuntime } from './merge-runtime.js';
import { type MergeQueueSettings, mergeCheckName } from './merge-settings-from-config.js';
import { protectionStillAllows } from './protection-recheck.js';
import type { PullRequestFacts } from './pull-request-facts.js';
import type { HeldLock } from './queue-lock.js';

/**
 * `merged`; `next`: this PR is out of the way (out of the queue, stepping aside for a retry);
 * `waiting`: it waits for something that has not reported (a check, a review) and keeps its
 * place, but does not hold the queue: the next PR is looked at;
 * `hold`: it is busy (CI on a head the bot just pushed, a push we have not seen yet) and holds
 * the queue: one PR is brought up to date and merged at a time per base branch.
 */
export type ExecutionOutcome = 'merged' | 'next' | 'waiting' | 'hold';

export interface ExecutorContext {
  octokit: GitHubClient;
  repo: RepoRef;
  log: Pick<Logger, 'info' | 'warn'>;
  settings: MergeQueueSettings;
  runtime: MergeRuntime;
  held: HeldLock;
  /** For wake-ups (retries, CI timeouts); without it they fall back to the sweep. */
  installationId?: number | undefined;
  /** Base branches of the repository's open PRs: such a branch is never rewritten. */
  openBases?: ReadonlySet<string>;
}

type Merge = Extract<MergeDecision, { kind: 'merge' }>;

/** The PR an action is about. */
interface Target {
  facts: Pick<PullRequestFacts, 'number' | 'labels'>;
}

/** What the cleanup after a merge reads; the \`closed\` webhook carries all of it. */
export interface MergedPullRequest {
  facts: Pick<PullRequestFacts, 'number' | 'labels' | 'body' | 'sameRepo' | 'headRef' | 'defaultBranch'>;
  milestoneNumber: number | undefined;
}

export class MergeExecutor {
  readonly #ctx: ExecutorContext;

  constructor(ctx: ExecutorContext) {
    this.#ctx = ctx;
  }

  get #dryRun(): boolean {
    return this.#ctx.settings.dryRun;
  }

  async carryOut(pr: GatheredPullRequest, step: QueueStep): Promise<ExecutionOutcome> {
    const { decision, conditions } = step;
    if (step.wake) await this.#wake(pr, new Date(step.wake.at), step.wake.why);
    switch (decision.kind) {
      case 'skip':
        return 'next';
      case 'paused':
        await this.publishCheck(pr, mergeCheckOutput(conditions, decision));
        return 'next';
      case 'wait': {
        await this.publishCheck(pr, mergeCheckOutput(conditions, decision));
        // Only the PR the bot itself brought up to date holds the queue while its new head is
        // checked; any other waits in its place while the next PR is looked at.
        return pr.facts.labels.includes(this.#ctx.settings.policy.inProgressLabel) ? 'hold' : 'waiting';
      }
      case 'retry-pending': {
        const { retryOn } = decodeMergeCheckState(pr.mergeCheck?.externalId);
        await this.publishCheck(pr, retryPendingCheckOutput(conditions, decision.reason, decision.until), {
          retryAt: decision.until,
          ...(retryOn ? { retryOn } : {}),
        });
        return 'next';
      }
      case 'needs-human':
        await this.needsHuman(pr, decision.reasons, conditions);
        return 'next';
      case 'retry':
        await this.retry(pr, decision.attempt, decision.reason, conditions, 'ci');
        return 'next';
      case 'update':
        return this.update(pr, decision.strategy, decision.reason, conditions);
      case 'merge':
        return this.merge(pr, decision, conditions);
    }
  }

  /** Schedules a look at this PR at `at` (a delayed event); logged, and harmless in a dry run. */
  async #wake(pr: GatheredPullRequest, at: Date, why: string) {
    const { installationId } = this.#ctx;
    if (installationId === undefined) return;
    const scheduled = await this.#ctx.runtime.wake({
      installationId,
      repo: this.#ctx.repo,
      number: pr.facts.number,
      baseRef: pr.facts.baseRef,
      at,
      why,
    });
    if (scheduled)
      this.#ctx.log.info(
        { pr: pr.facts.number, at: at.toISOString(), why },
        'merge queue: wake-up scheduled',
      );
  }

  /**
   * Creates or updates the `affineur/merge` check run on the head; skips it when nothing changed.
   * A completed run is never moved back to in progress (GitHub would keep its old conclusion, so
   * a re-queued PR would show "Queued" with a failure): a new run replaces it. The check says
   * what the bot would do in a dry run too, so it is published then as well: it changes nothing.
   */
  async publishCheck(pr: GatheredPullRequest, output: CheckRunOutput, state: MergeCheckState = {}) {
    const externalId = encodeMergeCheckState(state);
    const current = pr.mergeCheck;
    if (
      current &&
      current.title === output.title &&
      current.summary === output.summary &&
      current.status === output.status &&
      (current.conclusion ?? undefined) === output.conclusion &&
      current.externalId === externalId
    ) {
      return;
    }
    const body = {
      ...this.#ctx.repo,
      status: output.status,
      ...(output.conclusion ? { conclusion: output.conclusion } : {}),
      external_id: externalId,
      output: { title: output.title, summary: output.summary },
    };
    const reopen = current?.status === 'completed' && output.status !== 'completed';
    this.#log(pr, { type: 'check-run', title: output.title, conclusion: output.conclusion });
    this.#ctx.held.assertHeld();
    const { data } =
      current && !reopen
        ? await this.#ctx.octokit.rest.checks.update({ ...body, check_run_id: current.id })
        : await this.#ctx.octokit.rest.checks.create({
            ...body,
            name: mergeCheckName,
            head_sha: pr.facts.headSha,
          });
    // The run as it is now, so the next transition in this pass updates it rather than a stale copy.
    pr.mergeCheck = {
      id: data.id,
      externalId,
      title: output.title,
      summary: output.summary,
      status: output.status,
      conclusion: output.conclusion ?? null,
      startedAt: data.started_at ?? current?.startedAt,
    };
  }

  async needsHuman(pr: GatheredPullRequest, reasons: readonly string[], conditions: ConditionResult[]) {
    const policy = this.#ctx.settings.policy;
    await this.publishCheck(pr, mergeCheckOutput(conditions, { kind: 'needs-human', reasons: [...reasons] }));
    const text = redactText(reasons.join('; '));
    await this.#comment(
      pr,
      `:no_entry_sign: ${text}\n\nRemove the \`${policy.needHumanLabel}\` label to put this pull request back in the merge queue.`,
    );
    await this.#addLabels(pr, [policy.needHumanLabel]);
    // A human re-queues by removing the need-human label: start them from a clean slate.
    await this.#removeLabels(pr, [policy.inProgressLabel, ...this.#retryLabels(pr)]);
  }

  async retry(
    pr: GatheredPullRequest,
    attempt: number,
    reason: string,
    conditions: ConditionResult[],
    on: 'ci' | 'merge',
  ) {
    const policy = this.#ctx.settings.policy;
    const until = new Date(this.#ctx.runtime.now().getTime() + this.#ctx.settings.retryIntervalMs);
    await this.publishCheck(
      pr,
      retryPendingCheckOutput(
        conditions,
        `retry ${attempt} of ${policy.retryNumber} after ${reason}`,
        until.toISOString(),
      ),
      { retryAt: until.toISOString(), retryOn: on },
    );
    await this.#removeLabels(pr, this.#retryLabels(pr));
    await this.#addLabels(pr, [`${policy.retryLabelPrefix}${attempt}`]);
    // Due at the end of the interval, not at the next sweep.
    await this.#wake(pr, until, 'retry');
  }

  async update(
    pr: GatheredPullRequest,
    requested: UpdateStrategy,
    reason: string,
    conditions: ConditionResult[],
  ): Promise<ExecutionOutcome> {
    const { facts } = pr;
    let strategy = requested;
    if (strategy === 'rebase') {
      // Rebasing rewrites the head: never for a branch others rely on. Merging the base in only
      // adds a commit on top (a plain push), which is as far as the bot goes with those.
      const refusal = rewriteRefusal(
        {
          headRef: facts.headRef,
          sameRepo: facts.sameRepo,
          defaultBranch: facts.defaultBranch,
          headIsBaseOfOpenPull: this.#ctx.openBases?.has(facts.headRef) ?? false,
          headProtected:
            facts.sameRepo &&
            (await this.#ctx.runtime.protection.get(this.#ctx.octokit, this.#ctx.repo, facts.headRef)) !==
              undefined,
        },
        this.#ctx.settings.policy.releaseBranches,
      );
      if (refusal) {
        strategy = 'merge-base';
        reason = `${reason}; merging the base in because ${refusal}, which the bot never rewrites`;
      }
    }
    let result: UpdateResult | 'api-updated';
    if (strategy === 'update-branch-api') {
      result = await this.#updateWithApi(pr);
    } else if (!pr.headCloneUrl) {
      await this.needsHuman(
        pr,
        ['Up to date: the head repository was deleted, so the branch cannot be updated'],
        conditions,
      );
      return 'next';
    } else {
      const { committer } = await this.#ctx.runtime.identity();
      this.#ctx.held.assertHeld();
      if (!this.#dryRun) await this.publishCheck(pr, updatingCheckOutput(conditions, reason, strategy));
      this.#log(pr, { type: 'update-branch', strategy, reason });
      try {
        result = await this.#ctx.runtime.updater.update({
          base: { url: pr.baseCloneUrl, ref: facts.baseRef },
          head: { url: pr.headCloneUrl, ref: facts.headRef },
          expectedHeadSha: facts.headSha,
          strategy,
          token: await this.#token(),
          committer,
          dryRun: this.#dryRun,
        });
      } catch (error) {
        const refused = pushRefusal(error);
        if (!refused) throw error;
        if (!facts.sameRepo && cannotPush(error)) {
          // A fork that refuses our push (no maintainer edits after all): GitHub can still merge
          // the base in for us.
          this.#ctx.log.warn(
            { pr: facts.number, err: error },
            'git push refused; using the update-branch API',
          );
          result = await this.#updateWithApi(pr);
        } else {
          await this.needsHuman(pr, [refusedPushReason(facts.headRef, refused)], conditions);
          return 'next';
        }
      }
    }
    if (result !== 'api-updated' && result.kind === 'updated' && !result.dryRun) {
      // Before anything else: the events of the new head must find the record (bot-head-record.ts).
      await writeBotUpdateRecord(this.#ctx.octokit, this.#ctx.repo, result.headSha, {
        from: facts.headSha,
        sameChanges: result.sameChanges === true,
      });
    }
    if (result === 'api-updated' || result.kind === 'updated') {
      const how =
        result === 'api-updated'
          ? 'merged the base in with the update-branch API'
          : `${strategy === 'rebase' ? 'rebased onto' : 'merged in'} \`${facts.baseRef}\``;
      if (this.#dryRun) {
        await this.publishCheck(pr, dryRunCheckOutput(conditions, `would have ${how} (${reason})`));
        return 'next';
      }
      await this.publishCheck(
        pr,
        finalCheckOutput(
          'neutral',
          'Branch updated',
          `${reason}: ${how}; the new head is checked next`,
          conditions,
        ),
      );
      await this.#addLabels(pr, [this.#ctx.settings.policy.inProgressLabel]);
      return 'hold';
    }
    if (result.kind === 'conflict') {
      const files = result.files.length > 0 ? ` (${result.files.map((f) => `\`${f}\``).join(', ')})` : '';
      await this.needsHuman(
        pr,
        [`Up to date: conflicts with \`${facts.baseRef}\`${files}; update the branch by hand`],
        conditions,
      );
      return 'next';
    }
    // `head-moved`: someone pushed since we looked; the synchronize event brings us back.
    // `already-up-to-date`: the base we were told about was stale; the next event re-reads it.
    return 'hold';
  }

  async merge(
    pr: GatheredPullRequest,
    decision: Merge,
    conditions: ConditionResult[],
  ): Promise<ExecutionOutcome> {
    const { facts } = pr;
    if (!(await protectionStillAllows(this.#ctx, facts, this.#ctx.settings.policy))) {
      this.#ctx.log.info({ pr: facts.number }, 'branch protection changed since the evaluation; not merged');
      return 'hold';
    }
    const what = `merge #${facts.number} with ${decision.method} at ${decision.sha}`;
    if (this.#dryRun) {
      // The dry run's whole report: one log line and the check, both naming the exact merge.
      this.#log(
        pr,
        { type: 'merge', method: decision.method, sha: decision.sha, title: decision.commitTitle },
        what,
      );
      await this.publishCheck(pr, dryRunCheckOutput(conditions, `would ${what}`));
      return 'next';
    }
    // "Merging" goes out alongside the merge request rather than before it: the two do not
    // depend on each other, and the merge is what a maintainer waits for. The cleanup after the
    // merge runs on the \`closed\` event instead (after-merge), which survives a crash here.
    const merging = this.publishCheck(pr, mergeCheckOutput(conditions, decision));
    // Awaited below; without this a failure would be reported as unhandled meanwhile.
    merging.catch(() => undefined);
    const attempt = await this.#attemptMerge(pr, decision);
    await merging;
    if (attempt === 'head-moved') return 'hold';
    const { failure, how } = attempt;
    if (failure) {
      if (decision.mergeBack) {
        // Retrying cannot change a refusal the bot may not work around by rewriting the head.
        await this.needsHuman(
          pr,
          [
            `${failure}. \`${facts.headRef}\` is a release branch, which the bot never rewrites: merge it by hand, or fix what the forge refused and remove \`${this.#ctx.settings.policy.needHumanLabel}\``,
          ],
          conditions,
        );
        return 'next';
      }
      const attempt = retryCount(facts, this.#ctx.settings.policy) + 1;
      if (attempt > this.#ctx.settings.policy.retryNumber) await this.needsHuman(pr, [failure], conditions);
      else await this.retry(pr, attempt, failure, conditions, 'merge');
      return 'next';
    }
    await this.publishCheck(pr, mergedCheckOutput(conditions, decision, how));
    return 'merged';
  }

  /** Fast-forward or merge request; what failed (undefined when merged) and how it merged. */
  async #attemptMerge(
    pr: GatheredPullRequest,
    decision: Merge,
  ): Promise<'head-moved' | { failure: string | undefined; how: string }> {
    const { facts } = pr;
    let failure: string | undefined;
    let how = decision.mergeBack
      ? decision.method === 'ff'
        ? `fast-forwarded \`${facts.baseRef}\` to \`${facts.headRef}\``
        : `merged \`${facts.headRef}\` into \`${facts.baseRef}\` with a merge commit`
      : `merged with \`${decision.method}\``;
    if (decision.method === 'ff') {
      const outcome = await this.#fastForward(pr, decision.sha);
      if (outcome === 'head-moved') return 'head-moved';
      failure = outcome === 'ok' ? undefined : outcome;
      if (failure && decision.mergeBack) {
        // The base refused the push (protection asks for a PR merge, say): a merge commit
        // through the API still leaves the release branch as it is.
        this.#ctx.log.info(
          { pr: facts.number, failure },
          'merge-back: fast-forward refused; merging with a merge commit',
        );
        const viaApi = await this.#mergeWithApi(pr, { ...decision, method: 'merge' });
        if (viaApi === 'head-moved') return 'head-moved';
        if (viaApi === undefined) {
          failure = undefined;
          how = `merged \`${facts.headRef}\` into \`${facts.baseRef}\` with a merge commit (the fast-forward push was refused)`;
        } else failure = `${failure}; then ${viaApi}`;
      }
    } else {
      failure = await this.#mergeWithApi(pr, decision);
      if (failure === 'head-moved') {
        this.#ctx.log.info(
          { pr: facts.number, sha: decision.sha },
          'the PR moved after evaluation; not merged',
        );
        return 'head-moved';
      }
    }
    return { failure, how };
  }

  /** The merge API; undefined when merged, `head-moved`, or what GitHub refused. */
  async #mergeWithApi(pr: GatheredPullRequest, decision: Merge): Promise<string | undefined> {
    const { facts } = pr;
    return this.#act(
      pr,
      { type: 'merge', method: decision.method, sha: decision.sha, title: decision.commitTitle },
      async () => {
        try {
          const repo = `${this.#ctx.repo.owner}/${this.#ctx.repo.repo}`;
          this.#ctx.runtime.onMergeRequested?.({ repo, number: facts.number, sha: decision.sha });
          await this.#ctx.octokit.rest.pulls.merge({
            ...this.#ctx.repo,
            pull_number: facts.number,
            merge_method: decision.method as 'squash' | 'merge' | 'rebase',
            // The merge must fail if the PR moved after we evaluated it: never merge an unseen head.
            sha: decision.sha,
            commit_title: decision.commitTitle,
            ...(decision.commitMessage !== undefined ? { commit_message: decision.commitMessage } : {}),
          });
          return undefined;
        } catch (error) {
          const status = (error as { status?: number }).status;
          const message = (error as Error).message;
          if (status === 409 || /head branch was modified/i.test(message)) return 'head-moved';
          if (status === undefined || status >= 500 || status === 429) throw error;
          return `Merge: GitHub refused (${status}): ${message}`;
        }
      },
    );
  }

  /**
   * After a merge: the bot labels go, issues named with closing keywords are closed with the
   * PR's milestone, and the head branch is deleted when configured. Idempotent, and it needs
   * nothing but the \`closed\` webhook's payload.
   */
  async afterMerge(pr: MergedPullRequest) {
    const { facts } = pr;
    const policy = this.#ctx.settings.policy;
    await this.#removeLabels(pr, [policy.readyLabel, policy.inProgressLabel, ...this.#retryLabels(pr)]);
    for (const number of closingIssueNumbers(facts.body, `${this.#ctx.repo.owner}/${this.#ctx.repo.repo}`)) {
      await this.#closeIssue(pr, number);
    }
    if (this.#ctx.settings.deleteBranch && facts.sameRepo && facts.headRef !== facts.defaultBranch) {
      await this.#act(pr, { type: 'delete-branch', ref: facts.headRef }, async () => {
        try {
          await this.#ctx.octokit.rest.git.deleteRef({ ...this.#ctx.repo, ref: `heads/${facts.headRef}` });
        } catch (error) {
          // Already gone (GitHub's own auto-delete, or a human): the wanted state holds.
          if (![404, 422].includes((error as { status?: number }).status ?? 0)) throw error;
        }
      });
    }
  }

  /** Closes an issue the PR said it fixes, and gives it the PR's milestone (for the changelog). */
  async #closeIssue(pr: MergedPullRequest, number: number) {
    const { octokit } = this.#ctx;
    let issue: Awaited<ReturnType<GitHubClient['rest']['issues']['get']>>['data'];
    try {
      issue = (await octokit.rest.issues.get({ ...this.#ctx.repo, issue_number: number })).data;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return;
      throw error;
    }
    if (issue.pull_request) return;
    const milestone = !issue.milestone && pr.milestoneNumber !== undefined ? pr.milestoneNumber : undefined;
    if (issue.state === 'closed' && milestone === undefined) return;
    await this.#act(pr, { type: 'close-issue', issue: number, milestone }, async () => {
      await octokit.rest.issues.update({
        ...this.#ctx.repo,
        issue_number: number,
        state: 'closed',
        state_reason: 'completed',
        ...(milestone !== undefined ? { milestone } : {}),
      });
    });
  }

  async #fastForward(pr: GatheredPullRequest, sha: string): Promise<'ok' | 'head-moved' | string> {
    const { facts } = pr;
    if (!pr.headCloneUrl) return 'Fast-forward: the head repository was deleted';
    const { committer } = await this.#ctx.runtime.identity();
    this.#ctx.held.assertHeld();
    this.#log(pr, { type: 'fast-forward', base: facts.baseRef, sha });
    try {
      const result = await this.#ctx.runtime.updater.fastForward({
        base: { url: pr.baseCloneUrl, ref: facts.baseRef },
        head: { url: pr.headCloneUrl, ref: facts.headRef },
        expectedHeadSha: sha,
        token: await this.#token(),
        committer,
        dryRun: this.#dryRun,
      });
      return result.kind === 'head-moved' ? 'head-moved' : 'ok';
    } catch (error) {
      return `Fast-forward: git refused to push \`${facts.baseRef}\`: ${redactText((error as Error).message).split('\n')[0]}`;
    }
  }

  async #updateWithApi(pr: GatheredPullRequest): Promise<UpdateResult | 'api-updated'> {
    const { facts } = pr;
    const moved = await this.#act(
      pr,
      { type: 'update-branch-api', expectedHeadSha: facts.headSha },
      async () => {
        try {
          await this.#ctx.octokit.rest.pulls.updateBranch({
            ...this.#ctx.repo,
            pull_number: facts.number,
            expected_head_sha: facts.headSha,
          });
          return false;
        } catch (error) {
          if ((error as { status?: number }).status === 422) return true;
          throw error;
        }
      },
    );
    return moved ? { kind: 'head-moved', headSha: facts.headSha } : 'api-updated';
  }

  async #token(): Promise<string> {
    const auth = (await this.#ctx.octokit.auth({ type: 'installation' })) as { token?: string };
    if (!auth.token) throw new Error('the installation client has no token to push with');
    return auth.token;
  }

  #retryLabels(pr: Target): string[] {
    const prefix = this.#ctx.settings.policy.retryLabelPrefix;
    return pr.facts.labels.filter((label) => label.startsWith(prefix));
  }

  async #comment(pr: Target, body: string) {
    await this.#act(pr, { type: 'comment', body }, async () => {
      await this.#ctx.octokit.rest.issues.createComment({
        ...this.#ctx.repo,
        issue_number: pr.facts.number,
        body,
      });
    });
  }

  async #addLabels(pr: Target, labels: string[]) {
    const missing = labels.filter((label) => !pr.facts.labels.includes(label));
    if (missing.length === 0) return;
    await this.#act(pr, { type: 'add-labels', labels: missing }, async () => {
      await this.#ctx.octokit.rest.issues.addLabels({
        ...this.#ctx.repo,
        issue_number: pr.facts.number,
        labels: missing,
      });
    });
  }

  async #removeLabels(pr: Target, labels: string[]) {
    for (const label of new Set(labels)) {
      if (!pr.facts.labels.includes(label)) continue;
      await this.#act(pr, { type: 'remove-label', label }, async () => {
        try {
          await this.#ctx.octokit.rest.issues.removeLabel({
            ...this.#ctx.repo,
            issue_number: pr.facts.number,
            name: label,
          });
        } catch (error) {
          if ((error as { status?: number }).status !== 404) throw error;
        }
      });
    }
  }

  /** Logs the action (one line, the dry run's whole output) and runs it unless dry-running. */
  async #act<T>(pr: Target, action: Record<string, unknown>, run: () => Promise<T>): Promise<T | undefined> {
    this.#log(pr, action);
    if (this.#dryRun) return undefined;
    this.#ctx.held.assertHeld();
    return run();
  }

  #log(pr: Target, action: Record<string, unknown>, text: string = String(action.type)) {
    this.#ctx.log.info(
      {
        dryRun: this.#dryRun,
        repo: `${this.#ctx.repo.owner}/${this.#ctx.repo.repo}`,
        pr: pr.facts.number,
        action,
      },
      `${this.#dryRun ? 'dry run: would ' : ''}${text}`,
    );
  }
}

/** git's ways of saying "you may not push here". */
function cannotPush(error: unknown): boolean {
  return /\b403\b|permission|denied|not allowed|authentication failed/i.test((error as Error).message ?? '');
}

/**
 * What the remote said when it refused a push (a protected branch, a lost lease), in a few
 * bounded lines; undefined when the error is not a refused push (a network failure is retried).
 */
export function pushRefusal(error: unknown): string | undefined {
  const message = redactText((error as Error)?.message ?? '');
  if (
    !/\[(remote )?rejected\]|stale info|protected branch|GH006|pre-receive hook declined|\b403\b|permission|denied/i.test(
      message,
    )
  )
    return undefined;
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^remote:|rejected\]|stale info|denied|403/i.test(line))
    .map((line) => line.replace(/^remote:\s*/, '').replace(/^error:\s*/, ''))
    .filter((line) => line !== '');
  const text = (lines.length > 0 ? lines.slice(0, 4).join(' ') : (message.split('\n')[0] ?? '')).slice(
    0,
    400,
  );
  return text === '' ? 'the push was refused' : text;
}

function refusedPushReason(branch: string, refused: string): string {
  const lease = /stale info|fetch first|non-fast-forward/i.test(refused);
  const what = lease
    ? `someone pushed to \`${branch}\` while the bot was updating it, so the bot did not overwrite it`
    : `the forge refused the bot's push to \`${branch}\``;
  const todo = lease
    ? 'look at the new commits, then remove the label to put the pull request back in the queue'
    : `update the branch by hand, or let the bot push to \`${branch}\` (branch protection), then remove the label`;
  return `Up to date: ${what} (${refused}). A maintainer can ${todo}`;
}
