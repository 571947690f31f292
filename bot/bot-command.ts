import { once } from 'node:events';
import type { Command } from '../src/cli/command.js';
import { parseCommandOptions } from '../src/cli/command-options.js';
import { AffineurError } from '../src/errors/affineur-error.js';
import { createLogger } from '../src/log/logger.js';
import { readAppSettings } from './app-settings.js';
import { startBotServer } from './bot-server.js';
import {
  housekeepingIntervalFromEnv,
  scheduleHousekeepingForApp,
} from './housekeeping/housekeeping-schedule.js';
import { createMergeRuntime, sweepIntervalFromEnv } from './merge/merge-runtime.js';
import { createEventQueue } from './queue/create-event-queue.js';
import { withDotEnv } from './registration/env-file.js';
import { startRegistrationServer } from './registration/registration-server.js';

const help = `Usage: affineur bot

Runs the affineur GitHub App (see docs/bot.md, and docs/deploy.md to install it):
  triage        labels on new issues and PRs: status, area (globs or RE2), size, kind, milestone;
                review labels; /label add|remove
  merge queue   status/3-needs-merge or /merge: checks, rebases and merges ready PRs (docs/merge-queue.md)
  releases      /release [major|minor|patch|rc]: the release PR, then tag, release, merge-back
  housekeeping  stale rules, locks of old closed items, the weekly report issue, on a schedule
  config        the affineur/config check on PRs changing .github/affineur.yml; label sync

Environment (also read from ./.env; the process's own variables win):
  APP_ID, PRIVATE_KEY | PRIVATE_KEY_PATH, WEBHOOK_SECRET   the GitHub App's credentials
  GITHUB_API_URL            REST API base URL (GitHub Enterprise, the sandbox forge)
  GHE_HOST, GHE_PROTOCOL    Probot's way to say the same: <protocol>://<host>/api/v3
  PORT (3000; 0 picks a free port), HOST (all interfaces), WEBHOOK_PATH (/api/github/webhooks)
  REDIS_URL                 run events on BullMQ; without it, an in-process queue (one instance, not durable)
  AFFINEUR_QUEUE_PREFIX     Redis key prefix (default "affineur")
  AFFINEUR_DRY_RUN=true     log every action instead of doing it, on every repository
  AFFINEUR_MERGE_SWEEP_INTERVAL   merge queue safety-net sweep (5m; 0 turns it off)
  AFFINEUR_HOUSEKEEPING_INTERVAL  stale, lock and report rules (1h; 0 turns them off)
  LOG_LEVEL                 pino level (info)

Without APP_ID and a private key, it serves a registration page (GET /probot): it registers a
private app on GitHub from the package's app.yml, with its webhook on PUBLIC_URL + WEBHOOK_PATH
(default: the page's own address), and writes the credentials to ./.env.
Endpoints: POST <WEBHOOK_PATH> for webhooks, GET /healthz for the app and queue health.`;

export const botCommand: Command = {
  name: 'bot',
  summary: 'Run the GitHub App: triage, merge queue, releases, housekeeping.',
  help,
  async run(args, io) {
    if (args.includes('--help') || args.includes('-h')) {
      io.stdout.write(`${help}\n`);
      return 0;
    }
    // Configured by environment only: an argument would be silently ignored, so it is an error.
    parseCommandOptions('bot', args, []);
    // `.env` in the working directory, as the registration flow writes it; real env vars win.
    const env = withDotEnv(io.env, io.cwd);
    let settings: ReturnType<typeof readAppSettings>;
    let sweepIntervalMs: number | undefined;
    let housekeepingIntervalMs: number;
    try {
      settings = readAppSettings(env);
      sweepIntervalMs = sweepIntervalFromEnv(env);
      housekeepingIntervalMs = housekeepingIntervalFromEnv(env);
    } catch (error) {
      if (!(error instanceof AffineurError)) throw error;
      io.stderr.write(`${error.message}\n`);
      return 1;
    }
    if (settings === 'setup') {
      // GitHub's manifest flow: a local page that registers the app from the package's app.yml.
      const registration = await startRegistrationServer({
        env,
        dir: io.cwd,
        log: createLogger({ name: 'affineur-bot' }),
        port: Number(env.PORT ?? 3000) || 0,
        host: env.HOST,
        webhookPath: env.WEBHOOK_PATH ?? '/api/github/webhooks',
      });
      await waitForShutdown();
      await registration.close();
      return 0;
    }
    const log = createLogger({ name: 'affineur-bot' });
    const merge = createMergeRuntime({
      log,
      redisUrl: settings.redisUrl,
      prefix: env.AFFINEUR_QUEUE_PREFIX,
      ...(sweepIntervalMs !== undefined ? { sweepIntervalMs } : {}),
    });
    const queue = createEventQueue(env, log);
    const bot = await startBotServer(settings, queue, log, { merge });
    const housekeeping = await scheduleHousekeepingForApp({
      app: settings,
      intervalMs: housekeepingIntervalMs,
      enqueue: (event) => queue.enqueue(event),
      log,
      redisUrl: settings.redisUrl,
      prefix: env.AFFINEUR_QUEUE_PREFIX,
    });
    await waitForShutdown();
    log.info('shutting down: finishing running events');
    await housekeeping?.close();
    await bot.close();
    return 0;
  },
};

function waitForShutdown(): Promise<unknown> {
  return Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
}
