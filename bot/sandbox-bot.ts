/**
 * Runs the bot next to a sandbox forge in the same process: it authenticates as the forge's
 * registered app, and the forge sends that app's webhooks to it. `affineur sandbox` uses this,
 * so a single command gives a local GitHub with the bot installed.
 */
import { createLogger, type Logger } from '../src/log/logger.js';
import { globalDryRunFrom } from './app-settings.js';
import { type RunningBot, startBotServer } from './bot-server.js';
import {
  housekeepingIntervalFromEnv,
  scheduleHousekeepingForApp,
} from './housekeeping/housekeeping-schedule.js';
import { createMergeRuntime, sweepIntervalFromEnv } from './merge/merge-runtime.js';
import { createEventQueue } from './queue/create-event-queue.js';

/** What the bot needs from a running forge (`RunningForge` has it). */
export interface ForgeForBot {
  apiUrl: string;
  app: { id: number; privateKey: string; webhookSecret: string };
  setWebhookUrl(url: string | null): Promise<void>;
}

/**
 * @param log defaults to JSON lines on stderr: `affineur sandbox --json` promises one line on
 *   stdout and nothing else.
 */
export async function startBotForForge(
  forge: ForgeForBot,
  env: Readonly<Record<string, string | undefined>>,
  log: Logger = createLogger({ name: 'affineur-bot', format: 'json', destination: process.stderr }),
): Promise<RunningBot> {
  const queue = createEventQueue(env, log);
  const bot = await startBotServer(
    {
      appId: forge.app.id,
      privateKey: forge.app.privateKey,
      webhookSecret: forge.app.webhookSecret,
      baseUrl: forge.apiUrl,
      host: '127.0.0.1',
      port: 0,
      webhookPath: '/api/github/webhooks',
      globalDryRun: globalDryRunFrom(env),
    },
    // BullMQ when REDIS_URL is set, else the in-process queue: the same rule as `affineur bot`.
    queue,
    log,
    {
      merge: createMergeRuntime({
        log,
        redisUrl: env.REDIS_URL,
        prefix: env.AFFINEUR_QUEUE_PREFIX,
        // The same safety-net sweep setting as `affineur bot` (AFFINEUR_MERGE_SWEEP_INTERVAL).
        ...sweepSetting(env),
      }),
    },
  );
  await forge.setWebhookUrl(bot.webhookUrl);
  // The same setting as `affineur bot`: stale, lock and report rules run in the sandbox too.
  const housekeeping = await scheduleHousekeepingForApp({
    app: { appId: forge.app.id, privateKey: forge.app.privateKey, baseUrl: forge.apiUrl },
    intervalMs: housekeepingIntervalFromEnv(env),
    enqueue: (event) => queue.enqueue(event),
    log,
    redisUrl: env.REDIS_URL,
    prefix: env.AFFINEUR_QUEUE_PREFIX,
  });
  return {
    ...bot,
    async close() {
      await housekeeping?.close();
      await forge.setWebhookUrl(null);
      await bot.close();
    },
  };
}

function sweepSetting(env: Readonly<Record<string, string | undefined>>): { sweepIntervalMs?: number } {
  const ms = sweepIntervalFromEnv(env);
  return ms === undefined ? {} : { sweepIntervalMs: ms };
}
