/**
 * Starts the bot's HTTP server: Probot's webhook endpoint (signature checked, then enqueue) plus
 * /healthz, and the queue workers. `affineur bot` runs it until a signal; `affineur sandbox`
 * runs it next to the forge; tests start it on port 0.
 *
 * The server is node's own around Probot's middleware rather than Probot's `Server`: that class
 * turns port 0 into 3000 (`options.port || 3000`), so it cannot pick a free port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';
import type { Logger } from '../src/log/logger.js';
import { affineurApp, BotOctokit } from './app.js';
import type { AppSettings } from './app-settings.js';
import type { MergeRuntime } from './merge/merge-runtime.js';
import type { EventQueue } from './queue/event-queue.js';
import { payloadFreeSerializers, webhookBodyGuard } from './webhook-body-guard.js';

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

export interface BotServerOptions {
  /** False for a web-only process that leaves events to workers sharing the same Redis. */
  processEvents?: boolean;
  /** The merge queue; closed with the server. Without it the bot only triages and releases. */
  merge?: MergeRuntime;
}

export async function startBotServer(
  settings: BotServerSettings,
  queue: EventQueue,
  log: Logger,
  { processEvents = true, merge }: BotServerOptions = {},
): Promise<RunningBot> {
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    // Probot logs a failed delivery with its payload; this logger keeps only what names it.
    log: log.child({}, { serializers: payloadFreeSerializers }),
    Octokit: BotOctokit,
    ...(settings.baseUrl ? { baseUrl: settings.baseUrl } : {}),
  });
  const middleware = await createNodeMiddleware(
    affineurApp({
      queue,
      log,
      globalDryRun: settings.globalDryRun,
      processEvents,
      ...(merge ? { merge } : {}),
    }),
    { probot, webhooksPath: settings.webhookPath },
  );
  const guard = webhookBodyGuard({ path: settings.webhookPath, secret: settings.webhookSecret, log });
  const server = createServer((req, res) => {
    void guard(req, res)
      .then((refused) => {
        if (refused) return;
        return middleware(req, res, () => {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message: 'Not Found' }));
        });
      })
      .catch(() => req.destroy());
  });
  await listen(server, settings.port, settings.host);
  const { port } = server.address() as AddressInfo;
  // A wildcard bind is reached through loopback.
  const host =
    !settings.host || settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  const hostInUrl = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  log.info({ port, queue: queue.kind, dryRun: settings.globalDryRun }, 'affineur bot is listening');
  return {
    webhookUrl: `http://${hostInUrl}:${port}${settings.webhookPath}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await queue.close();
      await merge?.close();
    },
  };
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
