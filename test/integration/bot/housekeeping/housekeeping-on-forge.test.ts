/**
 * Stale rules, locks and the weekly report, end to end on the sandbox forge. The forge runs on
 * a clock the test sets: issues are created years ago, then the clock comes back to today and
 * `affineur housekeeping run` (the real command, with a token as in Actions, or with the app's
 * own credentials) acts on them through the forge's search API.
 */
import { Writable } from 'node:stream';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeRepoConfig, parseRepoConfigFile } from '../../../../bot/config/parse-repo-config.js';
import type { GitHubClient } from '../../../../bot/github/github-client.js';
import { housekeepingCommand } from '../../../../bot/housekeeping/housekeeping-command.js';
import type { HousekeepingResult } from '../../../../bot/housekeeping/run-housekeeping.js';
import { runHousekeeping } from '../../../../bot/housekeeping/run-housekeeping.js';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { silentLog } from '../queue/queue-test-kit.js';

const owner = 'admin';
const name = 'housekeeping';
const repo = { owner, repo: name };
const day = 86_400_000;
const config = `
housekeeping:
  stale:
    - includedLabels: [kind/question]
      excludedLabels: [priority/P0]
      daysSinceCreation: 30
      daysSinceUpdate: 60
      message: "Closing this question: no activity for 60 days."
    - includedLabels: [kind/proposal]
      daysSinceUpdate: 90
      closeAfterDays: 14
      message: "This proposal is stale; it closes in 14 days without activity."
  lock:
    daysSinceClose: 365
    message: "Locking this old issue; open a new one for follow-ups."
  report:
    enabled: true
`;

describe('housekeeping on the sandbox forge', () => {
  let forge: RunningForge;
  let admin: Octokit;
  /** The forge's clock; undefined means the real time. */
  let clock: number | undefined;
  const numbers: Record<string, number> = {};

  const at = async <T>(time: number, fn: () => Promise<T>): Promise<T> => {
    clock = time;
    try {
      return await fn();
    } finally {
      clock = undefined;
    }
  };
  const issue = async (key: string, labels: string[]) => {
    const { data } = await admin.rest.issues.create({ ...repo, title: key, labels });
    numbers[key] = data.number;
    return data.number;
  };
  const get = async (key: string) =>
    (await admin.rest.issues.get({ ...repo, issue_number: numbers[key]! })).data;
  const comments = async (key: string) =>
    (await admin.rest.issues.listComments({ ...repo, issue_number: numbers[key]! })).data.map((c) => c.body);

  const cli = async (args: string[], env: Record<string, string>): Promise<HousekeepingResult> => {
    let out = '';
    const stdout = new Writable({
      write(chunk, _encoding, done) {
        out += chunk;
        done();
      },
    });
    const code = await housekeepingCommand.run(['run', '--repo', `${owner}/${name}`, '--json', ...args], {
      stdout,
      stderr: stdout,
      env: { GITHUB_API_URL: forge.apiUrl, LOG_LEVEL: 'silent', ...env },
      cwd: process.cwd(),
    });
    expect(code).toBe(0);
    return JSON.parse(out) as HousekeepingResult;
  };
  const asToken = () => ({ GITHUB_TOKEN: forge.adminToken });
  const asApp = () => ({ APP_ID: String(forge.app.id), PRIVATE_KEY: forge.app.privateKey });

  beforeAll(async () => {
    forge = await startForge({ now: () => new Date(clock ?? Date.now()) });
    admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken, request: { retries: 0 } });
    await admin.rest.repos.createForAuthenticatedUser({ name, auto_init: true });
    await admin.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: '.github/affineur.yml',
      message: 'Housekeeping rules',
      content: Buffer.from(config).toString('base64'),
    });
    const longAgo = Date.parse('2021-03-01T10:00:00Z');
    await at(longAgo, async () => {
      for (const key of ['old-question-1', 'old-question-2', 'old-question-3'])
        await issue(key, ['kind/question']);
      await issue('old-urgent-question', ['kind/question', 'priority/P0']);
      await issue('old-bug', ['kind/bug/confirmed']);
      await issue('old-proposal', ['kind/proposal']);
      await issue('discussed-proposal', ['kind/proposal']);
      await issue('closed-long-ago', ['kind/bug/fix']);
      await admin.rest.issues.update({ ...repo, issue_number: numbers['closed-long-ago']!, state: 'closed' });
    });
    await issue('new-question', ['kind/question']);
    await issue('closed-recently', []);
    await admin.rest.issues.update({ ...repo, issue_number: numbers['closed-recently']!, state: 'closed' });
  });

  afterAll(async () => {
    await forge?.close();
  });

  it('lists what it would do in a dry run, and changes nothing', async () => {
    const result = await cli(['--dry-run'], asToken());
    expect(result.dryRun).toBe(true);
    const byStep = (step: string) =>
      result.items
        .filter((i) => i.step === step)
        .map((i) => i.title)
        .sort();
    expect(byStep('close')).toEqual(['old-question-1', 'old-question-2', 'old-question-3']);
    expect(byStep('mark-stale')).toEqual(['discussed-proposal', 'old-proposal']);
    expect(byStep('lock')).toEqual(['closed-long-ago']);
    expect(result.report).toBe('created');
    expect((await get('old-question-1')).state).toBe('open');
    expect((await get('closed-long-ago')).locked).toBe(false);
    expect(await comments('old-question-1')).toEqual([]);
    const reports = await admin.rest.issues.listForRepo({
      ...repo,
      labels: 'bot/weekly-report',
      state: 'all',
    });
    expect(reports.data).toEqual([]);
  });

  it('acts on at most --max items per run, oldest first, and says it was capped', async () => {
    const result = await cli(['--max', '2'], asToken());
    expect(result.capped).toBe(true);
    expect(result.report).toBe('created');
    expect(result.items.map((i) => i.title)).toEqual(['old-question-1', 'old-question-2']);
    expect((await get('old-question-1')).state).toBe('closed');
    expect((await get('old-question-3')).state).toBe('open');
    expect((await get('closed-long-ago')).locked).toBe(false);
  });

  it('closes the stale items with the message, marks, locks with the frozen label, as the app', async () => {
    const result = await cli([], asApp());
    expect(result.capped).toBe(false);
    const closed = await get('old-question-3');
    expect(closed).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(await comments('old-question-3')).toEqual(['Closing this question: no activity for 60 days.']);
    expect((await get('old-question-1')).state).toBe('closed');
    // Excluded label, recent activity, or no rule: left alone.
    expect((await get('old-urgent-question')).state).toBe('open');
    expect((await get('new-question')).state).toBe('open');
    expect((await get('old-bug')).state).toBe('open');
    // Marked, not closed yet.
    const proposal = await get('old-proposal');
    expect(proposal.state).toBe('open');
    expect(proposal.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain('bot/stale');
    expect(await comments('old-proposal')).toEqual([
      'This proposal is stale; it closes in 14 days without activity.',
    ]);
    const locked = await get('closed-long-ago');
    expect(locked.locked).toBe(true);
    expect(locked.labels.map((l) => (typeof l === 'string' ? l : l.name))).toContain(
      'status/5-frozen-due-to-age',
    );
    expect(await comments('closed-long-ago')).toEqual([
      'Locking this old issue; open a new one for follow-ups.',
    ]);
    expect((await get('closed-recently')).locked).toBe(false);
    expect(result.report).toBe('not-due');
  });

  it('takes the mark off an item someone commented on after it, and only that one', async () => {
    await admin.rest.issues.createComment({
      ...repo,
      issue_number: numbers['discussed-proposal']!,
      body: 'Still wanted: we run it in production.',
    });
    const result = await cli([], asToken());
    expect(result.items.map((i) => [i.title, i.step])).toEqual([['discussed-proposal', 'unmark-stale']]);
    const labels = (await get('discussed-proposal')).labels.map((l) => (typeof l === 'string' ? l : l.name));
    expect(labels).not.toContain('bot/stale');
    const marked = (await get('old-proposal')).labels.map((l) => (typeof l === 'string' ? l : l.name));
    expect(marked).toContain('bot/stale');
  });

  it('closes a marked item once closeAfterDays pass without activity, and updates the report in place', async () => {
    const { data: main } = await admin.rest.git.getRef({ ...repo, ref: 'heads/main' });
    await admin.rest.git.createRef({ ...repo, ref: 'refs/heads/feature', sha: main.object.sha });
    await admin.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: 'feature.txt',
      branch: 'feature',
      message: 'Add a feature',
      content: Buffer.from('feature\n').toString('base64'),
    });
    const { data: pr } = await admin.rest.pulls.create({
      ...repo,
      title: 'Add a feature',
      head: 'feature',
      base: 'main',
    });
    await admin.rest.issues.addLabels({
      ...repo,
      issue_number: pr.number,
      labels: ['status/2-needs-review'],
    });

    const octokit = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken }) as unknown as GitHubClient;
    const parsed = mergeRepoConfig([parseRepoConfigFile(config, '.github/affineur.yml')]);
    // Fifteen days later, by the housekeeping's clock.
    const later = Date.now() + 15 * day;
    const result = await runHousekeeping({
      octokit,
      repo,
      config: parsed,
      dryRun: false,
      log: silentLog,
      now: later,
    });
    expect(result.items.map((i) => [i.title, i.step])).toEqual([['old-proposal', 'close-stale']]);
    expect((await get('old-proposal')).state).toBe('closed');
    expect(result.report).toBe('updated');
    const reports = await admin.rest.issues.listForRepo({
      ...repo,
      labels: 'bot/weekly-report',
      state: 'all',
    });
    expect(reports.data).toHaveLength(1);
    expect(reports.data[0]?.body).toContain(`## Waiting for review (1)\n\n- #${pr.number} Add a feature`);
    // Not due again right after: the forge stamped the update with today's date.
    const again = await runHousekeeping({
      octokit,
      repo,
      config: parsed,
      dryRun: false,
      log: silentLog,
      now: Date.now(),
    });
    expect(again).toMatchObject({ items: [], report: 'not-due' });
  });
});
