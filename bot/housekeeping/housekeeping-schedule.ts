/**
 * When housekeeping runs. With Redis, on BullMQ job schedulers: one repeatable job per
 * installation, stored in Redis, so the schedule survives restarts and several replicas share
 * one schedule (each tick runs once, on one of them). Without Redis, an in-process timer with
 * the same effect for a single instance. Either way a tick lists the installation's
 * repositories and puts one housekeeping event per repository on the event queue.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { Probot } from 'probot';
import { parseDuration } from '../../src/config/duration.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import { BotOctokit } from '../app.js';
import type { GitHubClient } from '../github/github-client.js';
import type { QueuedEvent } from '../queue/queued-event.js';
import { housekeepingEvent } from './housekeeping-event.js';

export interface HousekeepingScheduleOptions {
  intervalMs: number;
  /** The app-level (JWT) client: lists installations. */
  appClient: () => Promise<GitHubClient>;
  installationClient: (installationId: number) => Promise<GitHubClient>;
  enqueue: (event: QueuedEvent) => Promise<unknown>;
  log: Pick<Logger, 'info' | 'warn'>;
  /** BullMQ job schedulers on this Redis; the in-process timer without it. */
  redisUrl?: string | undefined;
  prefix?: string | undefined;
}

export interface HousekeepingSchedule {
  kind: 'bullmq' | 'in-process';
  /** Makes the schedulers match the app's installations (at start; after an install). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

const schedulerId = (installationId: number) => `installation-${installationId}`;

/** Enqueues one housekeeping event per repository of an installation; resolves to their count. */
export async function tickInstallation(
  options: Pick<HousekeepingScheduleOptions, 'installationClient' | 'enqueue'>,
  installationId: number,
  tick: string,
): Promise<number> {
  const octokit = await options.installationClient(installationId);
  const repos = await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, {
    per_page: 100,
  });
  for (const repo of repos) await options.enqueue(housekeepingEvent(installationId, repo, tick));
  return repos.length;
}

export function startHousekeepingSchedule(options: HousekeepingScheduleOptions): HousekeepingSchedule {
  return options.redisUrl ? bullmqSchedule(options, options.redisUrl) : inProcessSchedule(options);
}

function bullmqSchedule(options: HousekeepingScheduleOptions, redisUrl: string): HousekeepingSchedule {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  connection.on('error', (err) => options.log.warn({ err }, 'redis connection error (housekeeping)'));
  const prefix = options.prefix ?? 'affineur';
  const queue = new Queue('housekeeping', { connection, prefix });
  // The worker blocks on its own connection; both are ours to close, or the process never exits.
  const workerConnection = connection.duplicate();
  const worker = new Worker<{ installationId: number }>(
    'housekeeping',
    async (job) => {
      // The job id is unique per scheduler tick: the same tick never enqueues twice.
      await tickInstallation(options, job.data.installationId, job.id ?? String(job.timestamp));
    },
    { connection: workerConnection, prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) =>
    options.log.warn({ err, installationId: job?.data.installationId }, 'housekeeping tick failed'),
  );
  const sync = async () => {
    const app = await options.appClient();
    const installations = await app.paginate(app.rest.apps.listInstallations, { per_page: 100 });
    const wanted = new Set(installations.map((i) => schedulerId(i.id)));
    for (const installation of installations) {
      await queue.upsertJobScheduler(
        schedulerId(installation.id),
        { every: options.intervalMs },
        { name: 'housekeeping', data: { installationId: installation.id } },
      );
    }
    for (const scheduler of await queue.getJobSchedulers()) {
      if (scheduler.key && !wanted.has(scheduler.key)) await queue.removeJobScheduler(scheduler.key);
    }
    options.log.info(
      { installations: installations.length, everyMs: options.intervalMs },
      'housekeeping scheduled',
    );
  };
  // New installations get their scheduler at the next resync, without a restart.
  const resync = setInterval(
    () => void sync().catch((err: unknown) => options.log.warn({ err }, 'housekeeping resync failed')),
    options.intervalMs,
  );
  resync.unref();
  return {
    kind: 'bullmq',
    sync,
    async close() {
      clearInterval(resync);
      await worker.close();
      await queue.close();
      workerConnection.disconnect();
      connection.disconnect();
    },
  };
}

function inProcessSchedule(options: HousekeepingScheduleOptions): HousekeepingSchedule {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      const slot = String(Math.floor(Date.now() / options.intervalMs));
      const app = await options.appClient();
      for (const installation of await app.paginate(app.rest.apps.listInstallations, { per_page: 100 })) {
        await tickInstallation(options, installation.id, slot);
      }
    } catch (error) {
      options.log.warn({ err: error }, 'housekeeping tick failed; the next one will try again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), options.intervalMs);
  timer.unref();
  return {
    kind: 'in-process',
    // Each tick lists the installations itself.
    sync: async () => {},
    async close() {
      clearInterval(timer);
    },
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** `AFFINEUR_HOUSEKEEPING_INTERVAL`: a Go duration or seconds; 1h by default; 0 turns it off. */
export function housekeepingIntervalFromEnv(env: Env): number {
  const text = env.AFFINEUR_HOUSEKEEPING_INTERVAL;
  if (text === undefined || text === '') return 3_600_000;
  const ms = parseDuration(text);
  if (ms === undefined || ms < 0) {
    throw new AffineurError(
      'AFF_ERR_BOT_APP_SETTINGS',
      `AFFINEUR_HOUSEKEEPING_INTERVAL must be a duration, got "${text}".`,
      { hint: 'Use a Go duration such as 1h or 30m, or 0 to turn scheduled housekeeping off.' },
    );
  }
  return ms;
}

/**
 * The schedule of a bot process (`affineur bot`, `affineur sandbox`): authenticates as the app
 * on its own, and feeds the process's event queue. Undefined when the interval is 0.
 */
export async function scheduleHousekeepingForApp(options: {
  app: { appId: number; privateKey: string; baseUrl: string | undefined };
  intervalMs: number;
  enqueue: (event: QueuedEvent) => Promise<unknown>;
  log: Pick<Logger, 'info' | 'warn'>;
  redisUrl: string | undefined;
  prefix: string | undefined;
}): Promise<HousekeepingSchedule | undefined> {
  if (options.intervalMs <= 0) return undefined;
  const probot = new Probot({
    appId: options.app.appId,
    privateKey: options.app.privateKey,
    Octokit: BotOctokit,
    ...(options.app.baseUrl ? { baseUrl: options.app.baseUrl } : {}),
  });
  const schedule = startHousekeepingSchedule({
    intervalMs: options.intervalMs,
    appClient: async () => (await probot.auth()) as unknown as GitHubClient,
    installationClient: async (id) => (await probot.auth(id)) as unknown as GitHubClient,
    enqueue: options.enqueue,
    log: options.log,
    redisUrl: options.redisUrl,
    prefix: options.prefix,
  });
  await schedule
    .sync()
    .catch((err: unknown) => options.log.warn({ err }, 'housekeeping schedule sync failed; retrying later'));
  return schedule;
}
