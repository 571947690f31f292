/**
 * GitHub Action mode: the same app, run once on the event that started the workflow, with the
 * workflow's token, for maintainers who do not host a server. Probot's adapter for this
 * (@probot/adapter-github-actions) is built on Probot 13, so this is a one-shot runner of our
 * own: the event from GITHUB_EVENT_PATH goes straight to the worker's handler, no queue.
 *
 * What works here: triage, `/label`, `/release`, the config check and label sync, and
 * housekeeping on `schedule` or `workflow_dispatch`. What needs the server: the merge queue,
 * which waits on CI and retries on timers that outlive one workflow run.
 */
import { readFileSync } from 'node:fs';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import { BotOctokit } from '../app.js';
import { globalDryRunFrom } from '../app-settings.js';
import { loadRepoConfig } from '../config/load-repo-config.js';
import { githubConfigReader } from '../github/config-file-reader.js';
import type { GitHubClient } from '../github/github-client.js';
import { handleEvent } from '../handlers/handle-event.js';
import { runHousekeeping } from '../housekeeping/run-housekeeping.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface ActionOutcome {
  event: string;
  /** `handled`: the event went to the handlers; `housekeeping`: a scheduled run. */
  ran: 'handled' | 'housekeeping';
  requests: number;
}

/** Events a workflow runs on a timer or by hand: they carry no webhook to handle. */
const housekeepingEvents = new Set(['schedule', 'workflow_dispatch']);

/**
 * Workflow triggers whose payload is a webhook event's under another name: `pull_request_target`
 * is how a workflow gets a writable token on PRs from forks.
 */
const webhookNameOf: Record<string, string> = { pull_request_target: 'pull_request' };

export async function runAction(env: Env, log: Logger, now: () => number = Date.now): Promise<ActionOutcome> {
  const event = required(env, 'GITHUB_EVENT_NAME', 'the name of the event that started the workflow');
  const token = required(env, 'GITHUB_TOKEN', 'the workflow token, from the action input github-token');
  const baseUrl = (env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  const octokit = new BotOctokit({ auth: { token }, baseUrl }) as unknown as GitHubClient;
  const dryRun = globalDryRunFrom(env);

  if (housekeepingEvents.has(event)) {
    const [owner = '', repo = ''] = required(env, 'GITHUB_REPOSITORY', 'owner/name of the repository').split(
      '/',
    );
    const target = { owner, repo };
    const { config } = await loadRepoConfig(githubConfigReader(octokit), { ...target });
    const result = await runHousekeeping({
      octokit,
      repo: target,
      config,
      dryRun: dryRun || config.dryRun,
      log,
      now: now(),
    });
    log.info(
      { acted: result.items.length, capped: result.capped, report: result.report },
      'housekeeping done',
    );
    return { event, ran: 'housekeeping', requests: 0 };
  }

  const path = required(env, 'GITHUB_EVENT_PATH', 'the file holding the event payload');
  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new AffineurError(
      'AFF_ERR_BOT_APP_SETTINGS',
      `GITHUB_EVENT_PATH "${path}" is not a readable JSON payload.`,
      {
        cause,
        hint: 'Run the action inside GitHub Actions, which writes the payload there.',
      },
    );
  }
  const requests = await handleEvent(
    {
      deliveryId: env.GITHUB_RUN_ID
        ? `actions:${env.GITHUB_RUN_ID}:${env.GITHUB_RUN_ATTEMPT ?? 1}`
        : `actions:${now()}`,
      name: webhookNameOf[event] ?? event,
      // Workflow payloads name no app installation; the handlers key their client on one, and
      // here every id stands for the workflow token.
      payload: { ...payload, installation: { id: 0 } },
      orderingKey: String((payload.repository as { full_name?: string } | undefined)?.full_name ?? 'global'),
    },
    { auth: async () => octokit, log, globalDryRun: dryRun },
  );
  return { event, ran: 'handled', requests };
}

function required(env: Env, name: string, what: string): string {
  const value = env[name];
  if (!value) {
    throw new AffineurError('AFF_ERR_BOT_APP_SETTINGS', `${name} is not set: it is ${what}.`, {
      hint: 'GitHub Actions sets GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY and GITHUB_API_URL; pass GITHUB_TOKEN from the action input.',
    });
  }
  return value;
}
