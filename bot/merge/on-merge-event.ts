/**
 * The merge queue's webhook entry: decide from the payload alone whether the event matters
 * (merge-trigger.ts), then load the config, list the ready PRs once, and run a pass over each
 * queue (repository, base branch) the event concerns, each under its lock.
 */

import { executeActions } from '../github/action-executor.js';
import { countRequests } from '../github/request-counter.js';
import type { EventContext } from '../handlers/event-context.js';
import { configOrReport } from '../handlers/repo-config-gate.js';
import { sameLabel } from '../triage/triage-action.js';
import { cancelMergeCheck } from './cancel-merge-check.js';
import { labelAdderCanWrite, needsWriteAccess, refuseLabels } from './label-trust.js';
import { MergeExecutor } from './merge-executor.js';
import type { MergeRuntime } from './merge-runtime.js';
import { type MergeQueueSettings, mergeCheckName, mergeQueueSettings } from './merge-settings-from-config.js';
import { type MergeTrigger, mergeTriggerOf } from './merge-trigger.js';
import { onMergeCommand } from './on-merge-command.js';
import { LockLostError } from './queue-lock.js';
import { type ListedPullRequest, runMergeQueue } from './run-merge-queue.js';

export async function onMergeEvent(
  context: EventContext,
  event: { name: string; payload: unknown },
  runtime: MergeRuntime,
): Promise<void> {
  const { login } = await runtime.identity();
  const trigger = mergeTriggerOf(event.name, event.payload, { mergeCheckName, botLogin: login });
  if (!trigger) return;
  const requests = countRequests(context.octokit);
  try {
    await handleTrigger(context, trigger, runtime);
  } finally {
    runtime.onEventRequests?.(requests.count);
  }
}

async function handleTrigger(context: EventContext, trigger: MergeTrigger, runtime: MergeRuntime) {
  if (trigger.kind === 'protection') runtime.protection.forget(context.repo);
  const config = await configOrReport(context);
  if (!config) return;
  const settings = mergeQueueSettings({ ...config, dryRun: config.dryRun || context.globalDryRun });
  if (!settings.enabled) return;
  if (trigger.kind === 'protection') {
    // New rules may hold back a PR about to merge, or let one through: every queue looks again.
    await runQueues(context, settings, runtime, { kind: 'all' });
    return;
  }
  if (
    trigger.kind === 'pull' &&
    trigger.addedLabel &&
    (await refusedLabel(context, trigger, settings, runtime))
  )
    return;
  if (trigger.kind === 'merged') {
    if (!trigger.labels.includes(settings.policy.readyLabel)) return;
    const executor = new MergeExecutor({ ...context, settings, runtime, held: { assertHeld() {} } });
    await executor.afterMerge({ facts: trigger, milestoneNumber: trigger.milestoneNumber });
    if (trigger.byHuman) {
      const labels = trigger.labels;
      await runQueues(context, settings, runtime, {
        kind: 'pull',
        number: trigger.number,
        baseRef: trigger.baseRef,
        labels,
      });
    }
    return;
  }
  if (trigger.kind === 'command') {
    const outcome = await onMergeCommand(context, trigger, settings);
    if (outcome?.cancelled && !settings.dryRun) {
      await cancelMergeCheck(
        context,
        outcome.headSha,
        `Taken out of the merge queue by @${trigger.author} (\`/merge cancel\`).`,
      );
    }
    const base = outcome?.base;
    if (base) {
      const labels = [settings.policy.readyLabel];
      await runQueues(context, settings, runtime, {
        kind: 'pull',
        number: trigger.number,
        baseRef: base,
        labels,
      });
    }
    return;
  }
  if (
    trigger.kind === 'pull' &&
    trigger.removedLabel === settings.policy.readyLabel &&
    !trigger.labels.includes(settings.policy.readyLabel) &&
    trigger.headSha &&
    !settings.dryRun
  ) {
    // A maintainer took the PR out of the queue: its check must not say "Waiting" for good.
    await cancelMergeCheck(
      context,
      trigger.headSha,
      `Taken out of the merge queue: \`${settings.policy.readyLabel}\` was removed${trigger.sender ? ` by @${trigger.sender}` : ''}.`,
    );
  }
  await runQueues(context, settings, runtime, trigger);
}

/**
 * A merge label added by someone without write access is removed at once, with a comment, and
 * the queue does not run for it. The queue pass checks the timeline as well (gatherForQueue),
 * for the label events it handles before this one, or never saw.
 */
async function refusedLabel(
  context: EventContext,
  trigger: Extract<MergeTrigger, { kind: 'pull' }>,
  settings: MergeQueueSettings,
  runtime: MergeRuntime,
): Promise<boolean> {
  const added = trigger.addedLabel;
  if (!added || !needsWriteAccess(added.name, settings.policy)) return false;
  const { login } = await runtime.identity();
  const verdict = await labelAdderCanWrite(
    context.octokit,
    context.repo,
    added.by,
    login,
    runtime.permissions,
  );
  if (verdict.ok) return false;
  // A pass may have caught it first from the timeline: then it is gone, and was explained.
  const { data: current } = await context.octokit.rest.issues.listLabelsOnIssue({
    ...context.repo,
    issue_number: trigger.number,
    per_page: 100,
  });
  if (!current.some((label) => sameLabel(label.name, added.name))) return true;
  const refusal = refuseLabels(trigger.number, [
    { label: added.name, addedBy: added.by, permission: verdict.permission },
  ]);
  await executeActions(context.octokit, context.repo, refusal, { dryRun: settings.dryRun, log: context.log });
  return true;
}

type QueueTrigger = Exclude<MergeTrigger, { kind: 'command' } | { kind: 'protection' } | { kind: 'merged' }>;

export async function runQueues(
  context: EventContext,
  settings: MergeQueueSettings,
  runtime: MergeRuntime,
  trigger: QueueTrigger,
): Promise<void> {
  const ready = settings.policy.readyLabel;
  // A PR that is not ready, and did not just leave the queue, changes nothing for the queue.
  if (trigger.kind === 'pull' && !trigger.labels.includes(ready) && trigger.removedLabel !== ready) return;
  let openBases = new Set<string>();
  const listReady = async (): Promise<ListedPullRequest[]> => {
    const open = await context.octokit.paginate(context.octokit.rest.pulls.list, {
      ...context.repo,
      state: 'open',
      per_page: 100,
    });
    openBases = new Set(open.map((pr) => pr.base.ref));
    return open
      .filter((pr) => pr.labels.some((l) => l.name === ready))
      .map((pr) => ({
        number: pr.number,
        baseRef: pr.base.ref,
        headSha: pr.head.sha,
        labels: pr.labels.map((l) => l.name),
        createdAt: pr.created_at,
      }));
  };
  let queued = await listReady();
  const bases = new Set<string>();
  if (trigger.kind === 'pull' || trigger.kind === 'wake') bases.add(trigger.baseRef);
  for (const pr of queued) {
    if (
      trigger.kind === 'all' ||
      (trigger.kind === 'sha' && pr.headSha === trigger.sha) ||
      (trigger.kind === 'base' && pr.baseRef === trigger.ref)
    ) {
      bases.add(pr.baseRef);
    }
  }
  const focus = trigger.kind === 'pull' || trigger.kind === 'wake' ? trigger.number : undefined;
  for (const base of bases) {
    const key = `${context.repo.owner}/${context.repo.repo}:${base}`.toLowerCase();
    let round = 0;
    const pass = runtime.lock.run(key, async (held) => {
      // A rerun was asked by an event that came in meanwhile: look at GitHub again.
      if (round++ > 0) queued = await listReady();
      const onBase = queued.filter((pr) => pr.baseRef === base);
      if (onBase.length === 0) return;
      const result = await runMergeQueue(
        {
          octokit: context.octokit,
          repo: context.repo,
          log: context.log,
          settings,
          runtime,
          held,
          installationId: context.installationId,
          openBases,
          focusOnly: trigger.kind === 'wake',
        },
        onBase,
        focus,
      );
      if (result.merged.length > 0) context.log.info({ base, merged: result.merged }, 'merge queue: merged');
    });
    try {
      if ((await pass) === 'deferred')
        context.log.info({ base }, 'merge queue busy in another worker; it will run again');
    } catch (error) {
      if (!(error instanceof LockLostError)) throw error;
      // Another worker owns this queue now and looks at GitHub afresh: nothing is lost.
      context.log.warn({ base, err: error }, 'merge queue lock lost mid-pass');
    }
  }
}
