/**
 * The release flow's end-to-end rig: a sandbox forge, the real affineur Probot app receiving the
 * forge's signed webhooks over HTTP (in-process queue), users with tokens, and a way to wait
 * until every webhook is delivered and every queued event handled — events, not sleeps.
 */
import { Octokit } from '@octokit/rest';
import { Probot, Server } from 'probot';
import { affineurApp, BotOctokit } from '../../../../bot/app.js';
import type { EventQueue } from '../../../../bot/queue/event-queue.js';
import { createInProcessQueue } from '../../../../bot/queue/in-process-queue.js';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { createLogger } from '../../../../src/log/logger.js';
import { cloneAs, credentialUrl, type GitClient } from '../../../support/forge-git.js';
import { freePort } from '../../../support/services.js';

export interface ReleaseFlowRig {
  readonly forge: RunningForge;
  readonly queue: EventQueue;
  readonly owner: string;
  readonly repo: string;
  /** An Octokit client acting as a forge user. */
  as(login: string): Octokit;
  token(login: string): string;
  clone(login: string): Promise<GitClient>;
  /** Stops or resumes webhook deliveries to the bot (a lost webhook, a bot that was down). */
  deafen(): Promise<void>;
  listen(): Promise<void>;
  /** Resolves once the forge has delivered everything and the bot has handled it all. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

// LOG_LEVEL=info shows the bot's decisions while debugging a failure.
const log = createLogger({
  name: 'release-flow-test',
  level: process.env.LOG_LEVEL ?? 'silent',
  format: 'json',
});

export async function startReleaseFlowRig(
  users: readonly string[],
  repoName: string,
): Promise<ReleaseFlowRig> {
  const forge = await startForge({ webhookRetryDelaysMs: [50, 100] });
  const tokens: Record<string, string> = { admin: forge.adminToken };
  const as = (login: string) =>
    new Octokit({ baseUrl: forge.apiUrl, auth: token(login), request: { retries: 0 } });
  const token = (login: string) => {
    const value = tokens[login];
    if (!value) throw new Error(`the rig has no user ${login}`);
    return value;
  };
  const admin = as('admin');
  for (const login of users) {
    await admin.request('POST /admin/users', { login, email: `${login}@example.test` });
    const { data } = await admin.request('POST /admin/users/{username}/authorizations', {
      username: login,
      scopes: ['repo'],
    });
    tokens[login] = data.token;
  }
  // The app is installed on the admin's account, so the repository belongs to the admin.
  await admin.rest.repos.createForAuthenticatedUser({ name: repoName, auto_init: true });

  const queue = createInProcessQueue({ log });
  // Probot's Server reads `port: 0` as "unset" and falls back to 3000: ask for a free port.
  const port = await freePort();
  const server = new Server({
    port,
    host: '127.0.0.1',
    log,
    Probot: Probot.defaults({
      appId: forge.app.id,
      privateKey: forge.app.privateKey,
      secret: forge.app.webhookSecret,
      baseUrl: forge.apiUrl,
      log,
      Octokit: BotOctokit,
    }),
  });
  await server.load(affineurApp({ queue, log, globalDryRun: false }));
  await server.start();
  const webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
  await forge.setWebhookUrl(webhookUrl);

  const settle = async () => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      // The bot answers a delivery once the event is queued, so after forge.idle() every event
      // is in the queue; handling it may send new webhooks, hence the loop.
      await forge.idle();
      if ((await queue.health()).pending === 0) {
        await forge.idle();
        if ((await queue.health()).pending === 0) return;
      }
      if (Date.now() > deadline) throw new Error('the bot did not settle within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };

  return {
    forge,
    queue,
    owner: 'admin',
    repo: repoName,
    as,
    token,
    clone: (login) => cloneAs(login, credentialUrl(forge.gitUrl, token(login), `admin/${repoName}.git`)),
    deafen: () => forge.setWebhookUrl(null),
    listen: () => forge.setWebhookUrl(webhookUrl),
    settle,
    async close() {
      await server.stop();
      await queue.close();
      await forge.close();
    },
  };
}
