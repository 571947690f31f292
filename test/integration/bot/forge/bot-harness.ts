/**
 * The affineur app loaded into a Probot instance that authenticates as the forge's registered
 * GitHub App (its id and private key) and sends every API call to the forge. Events go in with
 * `probot.receive()`, through the app's queue, to the real handlers.
 */
import { randomUUID } from 'node:crypto';
import { Probot } from 'probot';
import { affineurApp, BotOctokit } from '../../../../bot/app.js';
import type { EventQueue } from '../../../../bot/queue/event-queue.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import type { RunningForge } from '../../../../src/forge/start-forge.js';
import { LogCapture, type LogLine } from './log-capture.js';

export interface BotHarness {
  probot: Probot;
  queue: EventQueue;
  logs: LogCapture;
  /** Receives one event as a fresh delivery and resolves with its `event handled` log line. */
  receive(name: string, payload: Record<string, unknown>, deliveryId?: string): Promise<LogLine>;
  close(): Promise<void>;
}

export function probotForForge(forge: RunningForge, logs: LogCapture): Probot {
  return new Probot({
    appId: forge.app.id,
    privateKey: forge.app.privateKey,
    secret: forge.app.webhookSecret,
    baseUrl: forge.apiUrl,
    Octokit: BotOctokit,
    log: logs.log,
  });
}

export async function startBotHarness(
  forge: RunningForge,
  /** `logs` should be the capture the given `queue` logs to, so its failures are seen. */
  options: { globalDryRun?: boolean; queue?: EventQueue; logs?: LogCapture } = {},
): Promise<BotHarness> {
  const logs = options.logs ?? new LogCapture();
  const queue = options.queue ?? createInProcessQueue({ log: logs.log });
  const probot = probotForForge(forge, logs);
  // Without a Probot server there is no HTTP route table; /healthz is tested over HTTP elsewhere.
  await probot.load(affineurApp({ queue, log: logs.log, globalDryRun: options.globalDryRun ?? false }), {
    cwd: process.cwd(),
    addHandler: () => {},
  });
  return {
    probot,
    queue,
    logs,
    async receive(name, payload, deliveryId = randomUUID()) {
      const handled = logs.handled(deliveryId);
      // biome-ignore lint/suspicious/noExplicitAny: receive() is typed per event name; payloads here are example JSON.
      await probot.receive({ id: deliveryId, name, payload } as any);
      return handled;
    },
    close: () => queue.close(),
  };
}
