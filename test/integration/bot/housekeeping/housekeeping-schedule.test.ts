/**
 * The housekeeping schedule against the sandbox forge's installation: on BullMQ job schedulers
 * in real Redis (one per installation, still there after a restart), and the in-process timer.
 * Each tick puts one housekeeping event per repository on the event queue.
 */
import { Octokit } from '@octokit/rest';
import { Queue } from 'bullmq';
import { Probot } from 'probot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotOctokit } from '../../../../bot/app.js';
import type { GitHubClient } from '../../../../bot/github/github-client.js';
import { housekeepingEventName } from '../../../../bot/housekeeping/housekeeping-event.js';
import {
  type HousekeepingScheduleOptions,
  housekeepingIntervalFromEnv,
  startHousekeepingSchedule,
} from '../../../../bot/housekeeping/housekeeping-schedule.js';
import type { QueuedEvent } from '../../../../bot/queue/queued-event.js';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { redisUrl } from '../../../support/services.js';
import { deleteKeys, silentLog, uniquePrefix } from '../queue/queue-test-kit.js';

describe('the housekeeping schedule', () => {
  let forge: RunningForge;
  let auth: Pick<HousekeepingScheduleOptions, 'appClient' | 'installationClient'>;

  beforeAll(async () => {
    forge = await startForge();
    const admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken });
    await admin.rest.repos.createForAuthenticatedUser({ name: 'scheduled', auto_init: true });
    const probot = new Probot({
      appId: forge.app.id,
      privateKey: forge.app.privateKey,
      baseUrl: forge.apiUrl,
      Octokit: BotOctokit,
    });
    auth = {
      appClient: async () => (await probot.auth()) as unknown as GitHubClient,
      installationClient: async (id) => (await probot.auth(id)) as unknown as GitHubClient,
    };
  });
  afterAll(async () => {
    await forge?.close();
  });

  /** Resolves with the first event enqueued for the repository. */
  const recorder = () => {
    const events: QueuedEvent[] = [];
    let resolve: (event: QueuedEvent) => void = () => {};
    const first = new Promise<QueuedEvent>((r) => {
      resolve = r;
    });
    return {
      events,
      first,
      enqueue: async (event: QueuedEvent) => {
        events.push(event);
        const payload = event.payload as { repository?: { name: string } };
        if (payload.repository?.name === 'scheduled') resolve(event);
      },
    };
  };

  it('keeps one BullMQ job scheduler per installation, across restarts, and ticks into the event queue', async () => {
    const url = await redisUrl();
    const prefix = uniquePrefix();
    try {
      const seen = recorder();
      const schedule = startHousekeepingSchedule({
        ...auth,
        intervalMs: 300,
        enqueue: seen.enqueue,
        log: silentLog,
        redisUrl: url,
        prefix,
      });
      expect(schedule.kind).toBe('bullmq');
      await schedule.sync();
      const event = await seen.first;
      expect(event).toMatchObject({
        name: housekeepingEventName,
        payload: {
          installation: { id: forge.app.installationId },
          repository: { full_name: 'admin/scheduled' },
        },
        orderingKey: 'admin/scheduled',
      });
      expect(event.deliveryId).toMatch(/^housekeeping:admin\/scheduled:/);
      await schedule.close();

      // Stored in Redis: still there with no process running, and a restart does not add another.
      const queue = new Queue('housekeeping', { connection: { url }, prefix });
      try {
        const before = await queue.getJobSchedulers();
        expect(before.map((s) => s.key)).toEqual([`installation-${forge.app.installationId}`]);
        const restarted = startHousekeepingSchedule({
          ...auth,
          intervalMs: 300,
          enqueue: async () => {},
          log: silentLog,
          redisUrl: url,
          prefix,
        });
        await restarted.sync();
        await restarted.close();
        expect((await queue.getJobSchedulers()).map((s) => s.key)).toEqual(before.map((s) => s.key));
      } finally {
        await queue.close();
      }
    } finally {
      await deleteKeys(url, prefix);
    }
  });

  it('ticks in process without Redis', async () => {
    const seen = recorder();
    const schedule = startHousekeepingSchedule({
      ...auth,
      intervalMs: 200,
      enqueue: seen.enqueue,
      log: silentLog,
    });
    expect(schedule.kind).toBe('in-process');
    try {
      expect((await seen.first).name).toBe(housekeepingEventName);
    } finally {
      await schedule.close();
    }
  });

  it('reads the interval setting: a duration, 0 for off, 1h by default; refuses nonsense', () => {
    expect(housekeepingIntervalFromEnv({})).toBe(3_600_000);
    expect(housekeepingIntervalFromEnv({ AFFINEUR_HOUSEKEEPING_INTERVAL: '30m' })).toBe(1_800_000);
    expect(housekeepingIntervalFromEnv({ AFFINEUR_HOUSEKEEPING_INTERVAL: '0' })).toBe(0);
    expect(() => housekeepingIntervalFromEnv({ AFFINEUR_HOUSEKEEPING_INTERVAL: 'weekly' })).toThrow(
      /AFFINEUR_HOUSEKEEPING_INTERVAL must be a duration/,
    );
  });
});
