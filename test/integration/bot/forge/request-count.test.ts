/**
 * What an event costs in API requests, measured against the forge through the app's request
 * counter (`requests` and `calls` in the `event handled` line). The figures are exact, so a
 * change that adds a request fails here; bench/README.md quotes them.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './bot-harness.js';
import { type ForgeFixture, startForgeFixture } from './forge-fixture.js';
import {
  commentCreated,
  type ForgeRepo,
  issueOpened,
  type PullFacts,
  pullRequestEvent,
  repositoriesAdded,
  reviewSubmitted,
} from './forge-payloads.js';

let fx: ForgeFixture;
let bot: BotHarness;
let target: ForgeRepo;
let pull: PullFacts;
const owner = 'alice';
const repo = 'wheel';
/** The repository has no `.github/affineur.yml`, so the owner's `.github` repository is tried too. */
const configReads = [
  `GET /repos/{owner}/{repo}/contents/{path}`,
  `GET /repos/{owner}/{repo}/contents/{path}`,
];

beforeAll(async () => {
  fx = await startForgeFixture(['alice']);
  await fx.createRepo(owner, repo);
  target = { owner, repo, installationId: fx.forge.app.installationId };
  bot = await startBotHarness(fx.forge);
  const work = await fx.clone(owner, owner, repo);
  await work.run('checkout', '--quiet', '-b', 'forty-files');
  for (let i = 0; i < 40; i++) {
    await work.commitFile(
      `${i % 2 === 0 ? 'docs' : 'src'}/file-${i}.txt`,
      `${'cheese\n'.repeat(4)}`,
      `Add file ${i}`,
    );
  }
  await work.run('push', '--quiet', 'origin', 'forty-files');
  await fx.forge.idle();
  const { data } = await fx
    .as(owner)
    .rest.pulls.create({ owner, repo, head: 'forty-files', base: 'main', title: 'feat: forty files' });
  pull = { number: data.number, author: owner, title: data.title, headSha: data.head.sha, labels: [] };
});

afterAll(async () => {
  await bot?.close();
  await fx?.close();
});

const labelsOf = async (issue: number) =>
  (await fx.admin.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: issue })).data
    .map((l) => l.name)
    .sort();

it('costs 4 requests for a PR opened with 40 files: files, config (2), one label call', async () => {
  const handled = await bot.receive('pull_request', pullRequestEvent('opened', target, pull));
  expect(await labelsOf(pull.number)).toEqual([
    'area/documentation',
    'kind/enhancement',
    'size/M',
    'status/0-needs-triage',
  ]);
  expect(handled.calls).toEqual([
    `GET /repos/${owner}/${repo}/pulls/${pull.number}/files?per_page=100`,
    ...configReads,
    'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  ]);
  expect(handled.requests).toBe(4);
});

it('re-applies no label when the PR already has them (reopened: 4 reads, no write)', async () => {
  const handled = await bot.receive(
    'pull_request',
    pullRequestEvent('reopened', target, { ...pull, labels: await labelsOf(pull.number) }),
  );
  expect(bot.logs.of(handled.deliveryId!).filter((l) => l.action !== undefined)).toEqual([]);
  expect(handled.calls).toEqual([
    `GET /repos/${owner}/${repo}/pulls/${pull.number}/files?per_page=100`,
    ...configReads,
    `GET /repos/${owner}/${repo}/issues/${pull.number}/labels?per_page=100`,
  ]);
});

it('costs 3 requests for an issue opened without labels, and none with labels', async () => {
  const { data: bare } = await fx.as(owner).rest.issues.create({ owner, repo, title: 'Bare' });
  const first = await bot.receive('issues', issueOpened(target, { number: bare.number, author: owner }));
  expect(first.calls).toEqual([...configReads, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels']);
  const { data: labelled } = await fx
    .as(owner)
    .rest.issues.create({ owner, repo, title: 'Labelled', labels: ['kind/question'] });
  const second = await bot.receive(
    'issues',
    issueOpened(target, { number: labelled.number, author: owner, labels: ['kind/question'] }),
  );
  expect(second.requests).toBe(0);
});

it('costs nothing for a review that only comments', async () => {
  const handled = await bot.receive(
    'pull_request_review',
    reviewSubmitted(target, pull, 'commented', 'alice'),
  );
  expect(handled.requests).toBe(0);
});

it('costs nothing for a comment without a /label command', async () => {
  const handled = await bot.receive('issue_comment', commentCreated(target, pull, 'alice', 'Nice rind!'));
  expect(handled.requests).toBe(0);
});

it('costs 3 requests for the same PR when the repository has its own config file', async () => {
  const configured = 'wheel-configured';
  await fx.createRepo(owner, configured);
  await fx.writeFile(owner, configured, '.github/affineur.yml', 'triage:\n  welcome:\n    enabled: false\n');
  const work = await fx.clone(owner, owner, configured);
  await work.run('checkout', '--quiet', '-b', 'forty-files');
  for (let i = 0; i < 40; i++) await work.commitFile(`docs/file-${i}.txt`, 'cheese\n', `Add file ${i}`);
  await work.run('push', '--quiet', 'origin', 'forty-files');
  await fx.forge.idle();
  const { data } = await fx.as(owner).rest.pulls.create({
    owner,
    repo: configured,
    head: 'forty-files',
    base: 'main',
    title: 'docs: forty files',
  });
  const handled = await bot.receive(
    'pull_request',
    pullRequestEvent(
      'opened',
      { ...target, repo: configured },
      { number: data.number, author: owner, title: data.title, headSha: data.head.sha, labels: [] },
    ),
  );
  expect(handled.calls).toEqual([
    `GET /repos/${owner}/${configured}/pulls/${data.number}/files?per_page=100`,
    'GET /repos/{owner}/{repo}/contents/{path}',
    'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  ]);
});

it('costs 36 requests to sync the 32 default labels onto a repository added to the installation', async () => {
  await fx.createRepo(owner, 'fresh');
  const handled = await bot.receive(
    'installation_repositories',
    repositoriesAdded({ ...target, repo: 'fresh' }),
  );
  expect(handled.calls?.slice(0, 4)).toEqual([
    ...configReads,
    `GET /repos/${owner}/fresh/issues?state=open&per_page=100`,
    `GET /repos/${owner}/fresh/labels?per_page=100`,
  ]);
  expect(handled.calls?.slice(4)).toEqual(Array(32).fill('POST /repos/{owner}/{repo}/labels'));
  expect(handled.requests).toBe(36);
});
