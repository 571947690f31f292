/**
 * Which webhook events concern the merge queue, and which queues they wake up. Pure, and free:
 * it looks at the payload only, so the events that cannot change anything (the bot's own label
 * changes and pushes, its own check run, pending statuses) cost no API request at all.
 */

import { wakeEventName } from './merge-wake.js';

/** The synthetic event the periodic sweep enqueues for each repository. */
export const sweepEventName = 'affineur_merge_sweep';

export type MergeTrigger =
  /** Something about one PR changed: its labels, reviews, head or draft state. */
  | {
      kind: 'pull';
      number: number;
      baseRef: string;
      labels: string[];
      removedLabel?: string;
      /** A `labeled` event: the label and who added it (label-trust.ts decides if it counts). */
      addedLabel?: { name: string; by: string };
      closed?: boolean;
      /** The head the event saw, and who caused it (for the check run of a PR leaving the queue). */
      headSha?: string;
      sender?: string;
    }
  /** A PR was merged: clean up after it (labels, closing issues, branch), from the payload alone. */
  | {
      kind: 'merged';
      number: number;
      baseRef: string;
      labels: string[];
      body: string;
      milestoneNumber: number | undefined;
      headRef: string;
      sameRepo: boolean;
      defaultBranch: string;
      /** A human merged it (not the queue): the queue moves on too. */
      byHuman: boolean;
    }
  /** CI reported on a commit: the queues with a ready PR at that head. */
  | { kind: 'sha'; sha: string }
  /** A branch moved: the queue of PRs based on it. */
  | { kind: 'base'; ref: string }
  /** The sweep: every queue of the repository. */
  | { kind: 'all' }
  /** A delayed wake-up came due (a retry interval ended, a CI timeout): that PR's queue. */
  | { kind: 'wake'; number: number; baseRef: string }
  /** A `/merge` comment on a PR. */
  | { kind: 'command'; number: number; body: string; author: string; authorIsBot: boolean }
  /** Branch protection changed: forget the cached copy. */
  | { kind: 'protection' };

interface Payload {
  action?: string;
  sender?: { login?: string };
  pull_request?: {
    number: number;
    merged?: boolean;
    body?: string | null;
    milestone?: { number: number } | null;
    base: { ref: string; repo?: { full_name: string; default_branch?: string } };
    head?: { ref: string; sha?: string; repo?: { full_name: string } | null };
    labels?: { name: string }[];
  };
  repository?: { default_branch?: string };
  issue?: { number: number; pull_request?: unknown };
  comment?: { body: string; user: { login: string; type?: string } | null };
  label?: { name: string };
  check_run?: { name: string; head_sha: string };
  check_suite?: { head_sha: string };
  state?: string;
  sha?: string;
  pull_request_number?: number;
  base_ref?: string;
  ref?: string;
  deleted?: boolean;
}

const pullActions = new Set([
  'labeled',
  'unlabeled',
  'synchronize',
  'ready_for_review',
  'reopened',
  'milestoned',
  'demilestoned',
  'closed',
]);
const reviewActions = new Set(['submitted', 'dismissed', 'edited']);

/**
 * @param mergeCheckName our own check run, whose events are our own doing
 * @param botLogin the bot's login, when known: its label changes and pushes are ignored
 */
export function mergeTriggerOf(
  name: string,
  payload: unknown,
  options: { mergeCheckName: string; botLogin: string | undefined },
): MergeTrigger | undefined {
  const p = (payload ?? {}) as Payload;
  const byBot = options.botLogin !== undefined && p.sender?.login === options.botLogin;
  const pull = p.pull_request;
  switch (name) {
    case 'pull_request': {
      if (!pull || !pullActions.has(p.action ?? '')) return undefined;
      if (p.action === 'closed' && pull.merged) {
        return {
          kind: 'merged',
          number: pull.number,
          baseRef: pull.base.ref,
          labels: (pull.labels ?? []).map((l) => l.name),
          body: pull.body ?? '',
          milestoneNumber: pull.milestone?.number,
          headRef: pull.head?.ref ?? '',
          sameRepo: pull.head?.repo?.full_name === pull.base.repo?.full_name,
          defaultBranch: p.repository?.default_branch ?? pull.base.repo?.default_branch ?? '',
          byHuman: !byBot,
        };
      }
      // The bot's own label changes and merges follow from a pass that already went on from
      // there. A PR closed by a human may have been the head of its queue: the queue moves on.
      if (byBot && p.action !== 'synchronize' && p.action !== 'reopened') return undefined;
      return {
        kind: 'pull',
        number: pull.number,
        baseRef: pull.base.ref,
        labels: (pull.labels ?? []).map((l) => l.name),
        ...(p.action === 'unlabeled' && p.label ? { removedLabel: p.label.name } : {}),
        ...(p.action === 'labeled' && p.label && p.sender?.login
          ? { addedLabel: { name: p.label.name, by: p.sender.login } }
          : {}),
        ...(p.action === 'unlabeled' && pull.head?.sha ? { headSha: pull.head.sha } : {}),
        ...(p.action === 'unlabeled' && p.sender?.login ? { sender: p.sender.login } : {}),
        ...(p.action === 'closed' ? { closed: true } : {}),
      };
    }
    case 'pull_request_review':
      if (!pull || !reviewActions.has(p.action ?? '')) return undefined;
      return {
        kind: 'pull',
        number: pull.number,
        baseRef: pull.base.ref,
        labels: (pull.labels ?? []).map((l) => l.name),
      };
    case 'check_run': {
      if (!p.check_run) return undefined;
      const ours = p.check_run.name === options.mergeCheckName;
      // Our own check run reports what a pass decided; only a re-run asked on it is news.
      if (ours ? p.action !== 'rerequested' : p.action !== 'completed') return undefined;
      return { kind: 'sha', sha: p.check_run.head_sha };
    }
    case 'check_suite':
      // `completed` always follows a `check_run.completed` we already handle; only a re-run
      // asked on our own check ("Re-run" in the UI) is news.
      if (p.action !== 'rerequested' || !p.check_suite) return undefined;
      return { kind: 'sha', sha: p.check_suite.head_sha };
    case 'status':
      if (!p.sha || p.state === 'pending') return undefined;
      return { kind: 'sha', sha: p.sha };
    case 'push':
      // Our own pushes are merges (the pass goes on to the next PR) or PR updates (CI follows).
      if (byBot || p.deleted || !p.ref?.startsWith('refs/heads/')) return undefined;
      return { kind: 'base', ref: p.ref.slice('refs/heads/'.length) };
    case 'issue_comment': {
      if (p.action !== 'created' || !p.issue?.pull_request || !p.comment?.user) return undefined;
      if (!/^\s*\/merge\b/m.test(p.comment.body)) return undefined;
      const user = p.comment.user;
      return {
        kind: 'command',
        number: p.issue.number,
        body: p.comment.body,
        author: user.login,
        authorIsBot: user.type === 'Bot' || user.login.endsWith('[bot]'),
      };
    }
    case 'branch_protection_rule':
      return { kind: 'protection' };
    case sweepEventName:
      return { kind: 'all' };
    case wakeEventName:
      if (typeof p.pull_request_number !== 'number' || typeof p.base_ref !== 'string') return undefined;
      return { kind: 'wake', number: p.pull_request_number, baseRef: p.base_ref };
    default:
      return undefined;
  }
}
