/**
 * What the merge queue needs beyond one event: the per-queue lock (Redis when the bot runs on
 * Redis, memory otherwise), the branch protection cache, the git work directory for rebases,
 * the bot's identity, a clock, and the periodic sweep. One per bot process; `affineur bot`
 * creates it from the environment and the app attaches it when its workers start.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { parseDuration } from '../../src/config/duration.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { GitHubClient, RepoRef } from '../github/github-client.js';
import type { EnqueueOptions } from '../queue/event-queue.js';
import type { QueuedEvent } from '../queue/queued-event.js';
import { BranchUpdater, type GitIdentity } from './branch-updater.js';
import { createPermissionCache, type PermissionCache } from './label-trust.js';
import { startMergeSweep } from './merge-sweep.js';
import { wakeEvent } from './merge-wake.js';
import { createProtectionCache, type ProtectionCache } from './protection-cache.js';
import { createInMemoryQueueLock, type QueueLock } from './queue-lock.js';
import { createRedisQueueLock } from './redis-queue-lock.js';

export interface BotIdentity {
  /** `slug[bot]`; undefined until the app is attached. */
  login: string | undefined;
  committer: GitIdentity;
}

/** What the running app gives the merge queue once its workers start. */
export interface MergeAttachment {
  /** The app-level (JWT) client: the app's slug, and the installations to sweep. */
  appClient: () => Promise<GitHubClient>;
  installationClient: (installationId: number) => Promise<GitHubClient>;
  enqueue: (event: QueuedEvent, options?: EnqueueOptions) => Promise<unknown>;
}

/** A PR to look at again at a given time (its retry is due, its CI times out). */
export interface WakeRequest {
  installationId: number;
  repo: RepoRef;
  number: number;
  baseRef: string;
  at: Date;
  /** Why, for the logs: `retry`, `ci-timeout`. */
  why: string;
}

export interface MergeRuntime {
  lock: QueueLock;
  protection: ProtectionCache;
  /** Who may add a merge label: collaborators' permission levels, kept a minute. */
  permissions: PermissionCache;
  updater: BranchUpdater;
  now: () => Date;
  /** Re-reads of a PR while GitHub computes `mergeable`; tests and benches shorten them. */
  mergeablePollMs?: readonly number[];
  /**
   * The bot's own login and git identity. Events the bot caused itself (its label changes, its
   * pushes) are not worth a new pass: the pass that caused them already went on from there.
   */
  identity(): Promise<BotIdentity>;
  /**
   * Schedules a wake-up: a delayed event on the event queue (a BullMQ delayed job in Redis, so it
   * survives a restart), due at `at`. Idempotent: the same PR, time and reason is one job. False
   * when nothing could be scheduled (no app attached yet): the sweep is the safety net then.
   */
  wake(request: WakeRequest): Promise<boolean>;
  /** Called by the app when its workers start: learns the app's identity, starts the sweep. */
  attach(attachment: MergeAttachment): void;
  /** Called after each event the merge queue looked at, with the API requests it cost. */
  onEventRequests?: (requests: number) => void;
  /** Called right before each merge request (benchmarks measure latency with it). */
  onMergeRequested?: (merge: { repo: string; number: number; sha: string }) => void;
  close(): Promise<void>;
}

export interface MergeRuntimeOptions {
  log: Logger;
  /** Redis for the cross-process lock; without it the lock is in memory (one process only). */
  redisUrl?: string | undefined;
  prefix?: string | undefined;
  lockTtlMs?: number;
  /** The sweep interval; 0 turns the sweep off. Five minutes by default. */
  sweepIntervalMs?: number;
  /** Scratch space for rebases; a temp directory by default. */
  workDir?: string;
  now?: () => Date;
  mergeablePollMs?: readonly number[];
  onEventRequests?: (requests: number) => void;
  onMergeRequested?: (merge: { repo: string; number: number; sha: string }) => void;
}

const fallbackIdentity: BotIdentity = {
  login: undefined,
  committer: { name: 'affineur[bot]', email: 'affineur[bot]@users.noreply.github.com' },
};

export function createMergeRuntime(options: MergeRuntimeOptions): MergeRuntime {
  const redis = options.redisUrl ? new Redis(options.redisUrl, { maxRetriesPerRequest: 3 }) : undefined;
  redis?.on('error', (err) => options.log.warn({ err }, 'merge lock: redis connection error'));
  const lock = redis
    ? createRedisQueueLock({
        redis,
        prefix: options.prefix ?? 'affineur',
        ...(options.lockTtlMs ? { ttlMs: options.lockTtlMs } : {}),
      })
    : createInMemoryQueueLock();
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'affineur-merge-'));
  let attachment: MergeAttachment | undefined;
  let identity: Promise<BotIdentity> | undefined;
  let sweep: { stop(): void } | undefined;

  return {
    lock,
    protection: createProtectionCache(),
    permissions: createPermissionCache(),
    updater: new BranchUpdater(workDir),
    now: options.now ?? (() => new Date()),
    ...(options.mergeablePollMs ? { mergeablePollMs: options.mergeablePollMs } : {}),
    ...(options.onEventRequests ? { onEventRequests: options.onEventRequests } : {}),
    ...(options.onMergeRequested ? { onMergeRequested: options.onMergeRequested } : {}),
    identity() {
      if (!attachment) return Promise.resolve(fallbackIdentity);
      identity ??= resolveIdentity(attachment.appClient).catch((error: unknown) => {
        identity = undefined;
        throw error;
      });
      return identity;
    },
    async wake(request) {
      if (!attachment) return false;
      const now = (options.now ?? (() => new Date()))().getTime();
      await attachment.enqueue(wakeEvent(request), { delayMs: Math.max(0, request.at.getTime() - now) });
      return true;
    },
    attach(next) {
      attachment = next;
      identity = undefined;
      const intervalMs = options.sweepIntervalMs ?? 5 * 60_000;
      sweep?.stop();
      if (intervalMs > 0) sweep = startMergeSweep({ intervalMs, ...next, log: options.log });
    },
    async close() {
      sweep?.stop();
      await lock.close();
      if (redis) await redis.quit().catch(() => redis.disconnect());
    },
  };
}

async function resolveIdentity(appClient: () => Promise<GitHubClient>): Promise<BotIdentity> {
  const octokit = await appClient();
  const { data } = await octokit.rest.apps.getAuthenticated();
  const login = `${data?.slug ?? 'affineur'}[bot]`;
  // GitHub's noreply form, so rebased commits name the app rather than a person.
  return { login, committer: { name: login, email: `${login}@users.noreply.github.com` } };
}

type Env = Readonly<Record<string, string | undefined>>;

/** `AFFINEUR_MERGE_SWEEP_INTERVAL` (a Go duration or seconds; 0 turns the sweep off). */
export function sweepIntervalFromEnv(env: Env): number | undefined {
  const text = env.AFFINEUR_MERGE_SWEEP_INTERVAL;
  if (text === undefined || text === '') return undefined;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0) {
    throw new AffineurError(
      'AFF_ERR_BOT_APP_SETTINGS',
      `AFFINEUR_MERGE_SWEEP_INTERVAL must be a duration, got "${text}".`,
      { hint: 'Use a Go duration such as 5m or 30s, or 0 to turn the sweep off.' },
    );
  }
  return ms;
}
