/**
 * The bot started next to a forge in the same process (what `affineur sandbox` does): the
 * forge's app webhooks reach it, and a new issue gets its label with no other setup.
 */
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningBot } from '../../../../bot/bot-server.js';
import { startBotForForge } from '../../../../bot/sandbox-bot.js';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { LogCapture } from './log-capture.js';

let forge: RunningForge;
let bot: RunningBot;
const logs = new LogCapture();

beforeAll(async () => {
  forge = await startForge();
  bot = await startBotForForge(forge, {}, logs.log);
});

afterAll(async () => {
  await bot?.close();
  await forge?.close();
});

it('labels an issue created on the forge, with the in-process queue when REDIS_URL is unset', async () => {
  const admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken });
  await admin.rest.repos.createForAuthenticatedUser({ name: 'tomme', auto_init: true });
  const { data: issue } = await admin.rest.issues.create({ owner: 'admin', repo: 'tomme', title: 'Hello' });
  await logs.waitFor(
    (l) => l.msg === 'event handled' && l.event === 'issues.opened',
    'issues.opened handled',
  );
  const { data: labels } = await admin.rest.issues.listLabelsOnIssue({
    owner: 'admin',
    repo: 'tomme',
    issue_number: issue.number,
  });
  expect(labels.map((l) => l.name)).toEqual(['status/0-needs-triage']);
  expect(logs.lines.find((l) => l.msg === 'affineur bot is listening')).toMatchObject({
    queue: 'in-process',
  });
});
