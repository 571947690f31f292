/**
 * Starts the bot's HTTP server: Probot's webhook endpoint (signature checked, then enqueue) plus
 * /healthz, and the queue workers. `affineur bot` runs it until a signal; `affineur sandbox`
 * runs it next to the forge; tests start it on port 0.
 */
import { Probot, Server } from 'probot';
import type { Logger } from '../src/log/logger.js';
import { affineurApp, BotOctokit } from './app.js';
import type { AppSettings } from './app-settings.js';
import type { EventQueue } from './queue/event-queue.js';

export interface RunningBot {
  /** Where to send webhooks, e.g. `http://127.0.0.1:3000/api/github/webhooks`. */
  webhookUrl: string;
  port: number;
  /** Stops taking webhooks, then lets running events finish and releases the queue. */
  close(): Promise<void>;
}

export type BotServerSettings = Pick<
  AppSettings,
  'appId' | 'privateKey' | 'webhookSecret' | 'baseUrl' | 'host' | 'port' | 'webhookPath' | 'globalDryRun'
>;

export async function startBotServer(
  settings: BotServerSettings,
  queue: EventQueue,
  log: Logger,
): Promise<RunningBot> {
  const server = new Server({
    ...(settings.host ? { host: settings.host } : {}),
    port: settings.port,
    webhookPath: settings.webhookPath,
    log,
    Probot: Probot.defaults({
      appId: settings.appId,
      privateKey: settings.privateKey,
      secret: settings.webhookSecret,
      log,
      Octokit: BotOctokit,
      ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
    }),
  });
  await server.load(affineurApp({ queue, log, globalDryRun: settings.globalDryRun }));
  await server.start();
  // Probot reports the bound address; a wildcard bind is reached through loopback.
  const host =
    !settings.host || settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  const hostInUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  log.info(
    { port: server.port, queue: queue.kind, dryRun: settings.globalDryRun },
    'affineur bot is listening',
  );
  return {
    webhookUrl: `http://${hostInUrl}:${server.port}${settings.webhookPath}`,
    port: server.port,
    async close() {
      await server.stop();
      await queue.close();
    },
  };
}
