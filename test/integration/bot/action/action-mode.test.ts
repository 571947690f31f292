/**
 * The action's entry point (`affineur action`, what action.yml runs), as GitHub Actions runs
 * it: a child process with GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_API_URL and
 * GITHUB_REPOSITORY set, on real payloads from @octokit/webhooks-examples pointed at a
 * repository of the sandbox forge.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { webhookExample } from '../app/webhook-examples.js';

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, '../../../..');
const owner = 'admin';
const name = 'action-mode';
const repo = { owner, repo: name };

describe('GitHub Action mode', () => {
  let forge: RunningForge;
  let admin: Octokit;
  let dir: string;
  let clock: number | undefined;

  beforeAll(async () => {
    forge = await startForge({ now: () => new Date(clock ?? Date.now()) });
    admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken, request: { retries: 0 } });
    dir = await mkdtemp(join(tmpdir(), 'affineur-action-'));
    await admin.rest.repos.createForAuthenticatedUser({ name, auto_init: true });
  });
  afterAll(async () => {
    await forge?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Runs the entry point as Actions would; resolves with its exit code and output. */
  async function runAction(
    event: string,
    payload: Record<string, unknown> | undefined,
    env: Record<string, string> = {},
  ) {
    const eventPath = join(dir, `${event}.json`);
    if (payload) await writeFile(eventPath, JSON.stringify(payload));
    try {
      const { stdout } = await run(process.execPath, [join(repoRoot, 'bin/affineur.js'), 'action'], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          GITHUB_ACTIONS: 'true',
          GITHUB_EVENT_NAME: event,
          GITHUB_EVENT_PATH: eventPath,
          GITHUB_TOKEN: forge.adminToken,
          GITHUB_API_URL: forge.apiUrl,
          GITHUB_REPOSITORY: `${owner}/${name}`,
          GITHUB_RUN_ID: String(Math.floor(Math.random() * 1e9)),
          ...env,
        },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, stdout: failed.stdout };
    }
  }

  /** The example payload with its repository (and item) replaced by the forge's. */
  async function pointedAtForge(example: Record<string, unknown>): Promise<Record<string, unknown>> {
    const { data } = await admin.rest.repos.get(repo);
    return { ...example, repository: data, sender: { login: owner, type: 'User' } };
  }

  const labelsOf = async (number: number) =>
    (await admin.rest.issues.listLabelsOnIssue({ ...repo, issue_number: number })).data
      .map((l) => l.name)
      .sort();

  it('triages an issues.opened payload', async () => {
    const { data: issue } = await admin.rest.issues.create({ ...repo, title: 'The proxy drops headers' });
    const example = webhookExample('issues', 'opened');
    const payload = await pointedAtForge(example);
    payload.issue = { ...(example.issue as object), number: issue.number, title: issue.title, labels: [] };
    const result = await runAction('issues', payload);
    expect(result.code).toBe(0);
    expect(await labelsOf(issue.number)).toEqual(['status/0-needs-triage']);
  });

  it.each(['pull_request', 'pull_request_target'])(
    'triages a pull_request.opened payload on %s: status, area, kind from the title, size',
    async (trigger) => {
      const { data: main } = await admin.rest.git.getRef({ ...repo, ref: 'heads/main' });
      await admin.rest.git.createRef({
        ...repo,
        ref: `refs/heads/docs-fix-${trigger}`,
        sha: main.object.sha,
      });
      const { data: commit } = await admin.rest.repos.createOrUpdateFileContents({
        ...repo,
        path: 'docs/install.md',
        branch: `docs-fix-${trigger}`,
        message: 'Fix the install guide',
        content: Buffer.from('# Install\n\nRun it.\n').toString('base64'),
      });
      const { data: pr } = await admin.rest.pulls.create({
        ...repo,
        title: 'Fix the install guide',
        head: `docs-fix-${trigger}`,
        base: 'main',
      });
      const example = webhookExample('pull_request', 'opened');
      const payload = await pointedAtForge(example);
      const examplePr = example.pull_request as Record<string, unknown>;
      payload.number = pr.number;
      payload.pull_request = {
        ...examplePr,
        number: pr.number,
        title: pr.title,
        labels: [],
        draft: false,
        milestone: null,
        base: { ...(examplePr.base as object), ref: 'main' },
        head: { ...(examplePr.head as object), ref: `docs-fix-${trigger}`, sha: commit.commit.sha },
      };
      const result = await runAction(trigger, payload);
      expect(result.code).toBe(0);
      expect(await labelsOf(pr.number)).toEqual([
        'area/documentation',
        'kind/bug/fix',
        'size/S',
        'status/0-needs-triage',
      ]);
    },
  );

  it('runs the housekeeping on schedule', async () => {
    await admin.rest.repos.createOrUpdateFileContents({
      ...repo,
      path: '.github/affineur.yml',
      message: 'Stale questions',
      content: Buffer.from(
        'housekeeping:\n  stale:\n    - includedLabels: [kind/question]\n      daysSinceUpdate: 60\n      message: "Closing: no activity."\n',
      ).toString('base64'),
    });
    clock = Date.parse('2022-01-10T00:00:00Z');
    const { data: old } = await admin.rest.issues.create({
      ...repo,
      title: 'How?',
      labels: ['kind/question'],
    });
    clock = undefined;
    const result = await runAction('schedule', { schedule: '17 3 * * *' });
    expect(result.code).toBe(0);
    expect((await admin.rest.issues.get({ ...repo, issue_number: old.number })).data.state).toBe('closed');
  });

  it('fails with a workflow error annotation when the token is missing', async () => {
    const result = await runAction('issues', webhookExample('issues', 'opened'), { GITHUB_TOKEN: '' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^::error title=affineur::AFF_ERR_BOT_APP_SETTINGS: GITHUB_TOKEN is not set/m,
    );
  });
});
