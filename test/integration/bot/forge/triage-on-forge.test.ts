/**
 * The triage rules against a real forge: real webhook payloads go in through
 * `probot.receive()`, the app's queue runs the real handlers, and every GitHub call is answered
 * by the sandbox forge, whose state the assertions read back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeActions } from '../../../../bot/github/action-executor.js';
import type { GitHubClient } from '../../../../bot/github/github-client.js';
import { type BotHarness, startBotHarness } from './bot-harness.js';
import { type ForgeFixture, startForgeFixture } from './forge-fixture.js';
import {
  commentCreated,
  type ForgeRepo,
  issueOpened,
  type PullFacts,
  pullRequestEvent,
  pushTouching,
  reviewSubmitted,
} from './forge-payloads.js';

let fx: ForgeFixture;
let bot: BotHarness;
let target: ForgeRepo;
const owner = 'alice';
const repo = 'cheese';

beforeAll(async () => {
  fx = await startForgeFixture(['alice', 'carol', 'rita', 'dave']);
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

async function labelsOf(issue: number, name = repo): Promise<string[]> {
  const { data } = await fx.admin.rest.issues.listLabelsOnIssue({ owner, repo: name, issue_number: issue });
  return data.map((l) => l.name).sort();
}

async function openIssue(title: string, labels: string[] = [], name = repo, author = owner): Promise<number> {
  const { data } = await fx.as(author).rest.issues.create({ owner, repo: name, title, labels });
  return data.number;
}

/** A repository of its own with `.github/affineur.yml` set to `config`. */
async function configuredRepo(name: string, config: string): Promise<ForgeRepo> {
  await fx.createRepo(owner, name);
  await fx.writeFile(owner, name, '.github/affineur.yml', config);
  return { owner, repo: name, installationId: fx.forge.app.installationId };
}

async function repoLabels(name: string) {
  const { data } = await fx.admin.rest.issues.listLabelsForRepo({ owner, repo: name, per_page: 100 });
  return data.map((l) => ({ name: l.name, color: l.color, description: l.description ?? '' }));
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

  it('reads the current labels when the payload predates the bot’s own labels', async () => {
    // A push right after the PR was opened: its payload still shows the PR without labels.
    const stale = await openPull('Stale payload', 'stale-payload', { 'src/a.txt': lines(5) });
    await bot.receive('pull_request', pullRequestEvent('opened', target, stale));
    const work = await fx.clone(owner, owner, repo);
    await work.run('checkout', '--quiet', 'stale-payload');
    const headSha = await work.commitFile('src/b.txt', lines(300), 'Grow');
    await work.run('push', '--quiet', 'origin', 'stale-payload');
    await fx.forge.idle();
    await bot.receive(
      'pull_request',
      pullRequestEvent('synchronize', target, { ...stale, headSha, labels: [] }),
    );
    expect(await labelsOf(stale.number)).toEqual(['size/L', 'status/0-needs-triage']);

    // A command right after the issue was opened: the comment's issue has no labels yet.
    const number = await openIssue('Commented at once');
    await bot.receive('issues', issueOpened(target, { number, author: owner }));
    await bot.receive(
      'issue_comment',
      commentCreated(
        target,
        { number, author: owner, labels: [] },
        'carol',
        '/label remove status/0-needs-triage',
      ),
    );
    expect(await labelsOf(number)).toEqual([]);
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

describe('with a repository configuration', () => {
  it('welcomes a first-time contributor, and only them', async () => {
    const welcoming = await configuredRepo('welcoming', 'triage:\n  welcome:\n    enabled: true\n');
    const first = await openIssue('My first issue', [], 'welcoming', 'dave');
    await bot.receive(
      'issues',
      issueOpened(welcoming, { number: first, author: 'dave', authorAssociation: 'FIRST_TIME_CONTRIBUTOR' }),
    );
    const regular = await openIssue('Another issue', [], 'welcoming');
    await bot.receive('issues', issueOpened(welcoming, { number: regular, author: owner }));
    const comments = async (issue: number) =>
      (await fx.admin.rest.issues.listComments({ owner, repo: 'welcoming', issue_number: issue })).data;
    expect((await comments(first)).map((c) => c.body)).toEqual([
      'Thank you for your first contribution, @dave! A maintainer will look at it soon.',
    ]);
    expect(await comments(regular)).toEqual([]);
    expect(await labelsOf(first, 'welcoming')).toEqual(['status/0-needs-triage']);
  });

  it('syncs labels on a config push: creates and updates, and deletes only with labels.prune', async () => {
    const declared = (prune: boolean) =>
      [
        'labels:',
        `  prune: ${prune}`,
        '  definitions:',
        '    - { name: status/0-needs-triage, color: e4e669, description: New. }',
        '    - { name: kind/bug, color: d73a4a, description: A bug. }',
      ].join('\n');
    const synced = await configuredRepo('synced', declared(false));
    const alice = fx.as(owner);
    await alice.rest.issues.createLabel({
      owner,
      repo: 'synced',
      name: 'Status/0-Needs-Triage',
      color: '000000',
    });
    await alice.rest.issues.createLabel({ owner, repo: 'synced', name: 'legacy', color: 'cccccc' });
    const before = (await repoLabels('synced')).map((l) => l.name);

    await bot.receive('push', pushTouching(synced, ['.github/affineur.yml']));
    const afterSync = await repoLabels('synced');
    expect(afterSync).toEqual(
      expect.arrayContaining([
        { name: 'status/0-needs-triage', color: 'e4e669', description: 'New.' },
        { name: 'kind/bug', color: 'd73a4a', description: 'A bug.' },
        { name: 'legacy', color: 'cccccc', description: '' },
      ]),
    );
    expect(afterSync).toHaveLength(new Set([...before.map((n) => n.toLowerCase()), 'kind/bug']).size);

    await fx.writeFile(owner, 'synced', '.github/affineur.yml', declared(true));
    await bot.receive('push', pushTouching(synced, ['.github/affineur.yml']));
    expect((await repoLabels('synced')).map((l) => l.name).sort()).toEqual([
      'kind/bug',
      'status/0-needs-triage',
    ]);
  });

  it('updates a label that was created after the sync was planned, instead of failing', async () => {
    await fx.as(owner).rest.issues.createLabel({ owner, repo, name: 'area/cave', color: '000000' });
    const octokit = (await bot.probot.auth(fx.forge.app.installationId)) as unknown as GitHubClient;
    const label = { name: 'area/cave', color: '5319e7', description: 'The cave.' };
    await executeActions(octokit, { owner, repo }, [{ type: 'create-label', label, reason: 'test' }], {
      dryRun: false,
      log: bot.logs.log,
    });
    const { data } = await fx.admin.rest.issues.getLabel({ owner, repo, name: 'area/cave' });
    expect(data).toMatchObject(label);
  });

  it('changes nothing with dryRun: true in the repository, and logs one line per action', async () => {
    const dry = await configuredRepo('dry', 'dryRun: true\n');
    const number = await openIssue('Nothing should happen', [], 'dry');
    const handled = await bot.receive('issues', issueOpened(dry, { number, author: owner }));
    expect(await labelsOf(number, 'dry')).toEqual([]);
    expect(bot.logs.of(handled.deliveryId!).filter((l) => l.dryRun !== undefined)).toEqual([
      expect.objectContaining({
        dryRun: true,
        repo: `${owner}/dry`,
        action: expect.objectContaining({
          type: 'add-labels',
          issue: number,
          labels: ['status/0-needs-triage'],
        }),
        msg: 'dry run: would add-labels',
      }),
    ]);

    const labelsBefore = await repoLabels('dry');
    const sync = await bot.receive('push', pushTouching(dry, ['.github/affineur.yml']));
    expect(await repoLabels('dry')).toEqual(labelsBefore);
    const planned = bot.logs.of(sync.deliveryId!).filter((l) => l.dryRun === true);
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((l) => /^dry run: would (create|update)-label$/.test(l.msg))).toBe(true);
  });
});
