/**
 * The triage rules against a real forge: real webhook payloads go in through
 * `probot.receive()`, the app's queue runs the real handlers, and every GitHub call is answered
 * by the sandbox forge, whose state the assertions read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './bot-harness.js';
import { type ForgeFixture, startForgeFixture } from './forge-fixture.js';
import {
  commentCreated,
  type ForgeRepo,
  issueOpened,
  type PullFacts,
  pullRequestEvent,
  reviewSubmitted,
} from './forge-payloads.js';

let fx: ForgeFixture;
let bot: BotHarness;
let target: ForgeRepo;
const owner = 'alice';
const repo = 'cheese';

beforeAll(async () => {
  fx = await startForgeFixture(['alice', 'carol', 'rita']);
  await fx.createRepo(owner, repo);
  const alice = fx.as(owner);
  await alice.rest.repos.addCollaborator({ owner, repo, username: 'carol', permission: 'push' });
  await alice.rest.repos.addCollaborator({ owner, repo, username: 'rita', permission: 'pull' });
  target = { owner, repo, installationId: fx.forge.app.installationId };
  bot = await startBotHarness(fx.forge);
});

afterAll(async () => {
  await bot?.close();
  await fx?.close();
});

async function labelsOf(issue: number): Promise<string[]> {
  const { data } = await fx.admin.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: issue });
  return data.map((l) => l.name).sort();
}

async function openIssue(title: string, labels: string[] = []): Promise<number> {
  const { data } = await fx.as(owner).rest.issues.create({ owner, repo, title, labels });
  return data.number;
}

/** Pushes `branch` (from `base`) with `files`, opens a PR, and returns the facts a payload needs. */
async function openPull(
  title: string,
  branch: string,
  files: Record<string, string>,
  base = 'main',
): Promise<PullFacts> {
  const work = await fx.clone(owner, owner, repo);
  await work.run('checkout', '--quiet', '-b', branch, `origin/${base}`);
  for (const [path, content] of Object.entries(files)) await work.commitFile(path, content, `Change ${path}`);
  await work.run('push', '--quiet', 'origin', branch);
  await fx.forge.idle();
  const { data } = await fx.as(owner).rest.pulls.create({ owner, repo, head: branch, base, title });
  return { number: data.number, author: owner, title, baseRef: base, headSha: data.head.sha, labels: [] };
}

const lines = (n: number) => `${Array.from({ length: n }, (_, i) => `line ${i}`).join('\n')}\n`;

describe('issues', () => {
  it('labels a new issue without labels status/0-needs-triage', async () => {
    const number = await openIssue('The cave is too warm');
    await bot.receive('issues', issueOpened(target, { number, author: owner }));
    expect(await labelsOf(number)).toEqual(['status/0-needs-triage']);
  });

  it('leaves an issue opened with labels alone, without a single request', async () => {
    const number = await openIssue('Already triaged', ['kind/question']);
    const handled = await bot.receive(
      'issues',
      issueOpened(target, { number, author: owner, labels: ['kind/question'] }),
    );
    expect(await labelsOf(number)).toEqual(['kind/question']);
    expect(handled.requests).toBe(0);
  });
});

describe('pull requests', () => {
  let pull: PullFacts;

  beforeAll(async () => {
    const work = await fx.clone(owner, owner, repo);
    await work.run('push', '--quiet', 'origin', 'HEAD:refs/heads/v1.4');
    await fx.as(owner).rest.issues.createMilestone({ owner, repo, title: '1.4' });
    await fx.as(owner).rest.issues.createMilestone({ owner, repo, title: '1.5' });
  });

  it('labels an opened PR with area, size, kind and needs-triage, and sets the base branch milestone', async () => {
    pull = await openPull(
      'feat: aged comté in the docs',
      'comte-docs',
      { 'docs/comte.md': lines(10) },
      'v1.4',
    );
    await bot.receive('pull_request', pullRequestEvent('opened', target, pull));
    expect(await labelsOf(pull.number)).toEqual([
      'area/documentation',
      'kind/enhancement',
      'size/S',
      'status/0-needs-triage',
    ]);
    const { data } = await fx.admin.rest.issues.get({ owner, repo, issue_number: pull.number });
    expect(data.milestone?.title).toBe('1.4');
  });

  it('replaces a stale size label on synchronize and re-applies nothing', async () => {
    const work = await fx.clone(owner, owner, repo);
    await work.run('checkout', '--quiet', 'comte-docs');
    const headSha = await work.commitFile('docs/comte-aging.md', lines(200), 'Describe the aging');
    await work.run('push', '--quiet', 'origin', 'comte-docs');
    // The forge updates the PR just after git's client has its answer (as GitHub does).
    await fx.forge.idle();
    const current = await labelsOf(pull.number);
    const { data } = await fx.admin.rest.issues.get({ owner, repo, issue_number: pull.number });
    const handled = await bot.receive(
      'pull_request',
      pullRequestEvent('synchronize', target, {
        ...pull,
        headSha,
        labels: current,
        ...(data.milestone ? { milestone: data.milestone.number } : {}),
      }),
    );
    expect(await labelsOf(pull.number)).toEqual([
      'area/documentation',
      'kind/enhancement',
      'size/L',
      'status/0-needs-triage',
    ]);
    const calls = bot.logs.of(handled.deliveryId!).filter((l) => l.action !== undefined);
    expect(calls.map((l) => l.msg)).toEqual(['add-labels', 'remove-label']);
    expect(calls[0]?.action).toMatchObject({ labels: ['size/L'] });
  });

  it('toggles contributor/waiting-for-corrections on changes requested, then approved', async () => {
    const facts = async () => ({ ...pull, labels: await labelsOf(pull.number) });
    await bot.receive(
      'pull_request_review',
      reviewSubmitted(target, await facts(), 'changes_requested', 'carol'),
    );
    expect(await labelsOf(pull.number)).toContain('contributor/waiting-for-corrections');
    await bot.receive('pull_request_review', reviewSubmitted(target, await facts(), 'approved', 'carol'));
    expect(await labelsOf(pull.number)).not.toContain('contributor/waiting-for-corrections');
  });
});

describe('/label commands', () => {
  it('applies /label add and remove from a user with write access', async () => {
    const number = await openIssue('Smells of ammonia', ['status/0-needs-triage']);
    await bot.receive(
      'issue_comment',
      commentCreated(
        target,
        { number, author: owner, labels: ['status/0-needs-triage'] },
        'carol',
        '/label add kind/bug/possible "good first issue"\n/label remove status/0-needs-triage',
      ),
    );
    expect(await labelsOf(number)).toEqual(['good first issue', 'kind/bug/possible']);
  });

  it('refuses /label from a read-only user politely and changes nothing', async () => {
    const number = await openIssue('Rind too hard', ['status/0-needs-triage']);
    await bot.receive(
      'issue_comment',
      commentCreated(
        target,
        { number, author: owner, labels: ['status/0-needs-triage'] },
        'rita',
        '/label remove status/0-needs-triage',
      ),
    );
    expect(await labelsOf(number)).toEqual(['status/0-needs-triage']);
    const { data: comments } = await fx.admin.rest.issues.listComments({ owner, repo, issue_number: number });
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toMatch(/^Thanks @rita! Only people with write access/);
    expect(comments[0]?.user?.login).toBe(`${fx.forge.app.slug}[bot]`);
  });
});

describe('global dry run', () => {
  it('changes nothing and logs one structured line per action', async () => {
    const dry = await startBotHarness(fx.forge, { globalDryRun: true });
    try {
      const number = await openIssue('Dry run issue');
      const handled = await dry.receive('issues', issueOpened(target, { number, author: owner }));
      expect(await labelsOf(number)).toEqual([]);
      const actions = dry.logs.of(handled.deliveryId!).filter((l) => l.dryRun === true);
      expect(actions).toHaveLength(1);
      expect(actions[0]).toMatchObject({
        dryRun: true,
        repo: `${owner}/${repo}`,
        action: { type: 'add-labels', issue: number, labels: ['status/0-needs-triage'] },
        msg: 'dry run: would add-labels',
      });
    } finally {
      await dry.close();
    }
  });
});
