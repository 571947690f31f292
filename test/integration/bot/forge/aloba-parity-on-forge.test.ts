/**
 * Triage at parity with aloba, through the real handlers on the sandbox forge: RE2 area rules
 * (one of which does not compile: reported by the config check, and the rest of the bot still
 * runs), vendor/ out of the size, a closed milestone as fallback, a kind from an imperative
 * title, a draft as a status, and needs-triage only at opening.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BotHarness, startBotHarness } from './bot-harness.js';
import { type ForgeFixture, startForgeFixture } from './forge-fixture.js';
import { type ForgeRepo, type PullFacts, pullRequestEvent } from './forge-payloads.js';

let fx: ForgeFixture;
let bot: BotHarness;
let target: ForgeRepo;
const owner = 'alice';
const repo = 'traefik-like';
const config = `triage:
  areas:
    rules:
      - label: area/provider/consul
        syntax: regex
        paths: ['(?i).*(consul).*']
      - label: area/broken
        syntax: regex
        paths: ['(?<=x)y']
`;

beforeAll(async () => {
  fx = await startForgeFixture(['alice']);
  await fx.createRepo(owner, repo);
  await fx.writeFile(owner, repo, '.github/affineur.yml', config);
  target = { owner, repo, installationId: fx.forge.app.installationId };
  const work = await fx.clone(owner, owner, repo);
  await work.run('push', '--quiet', 'origin', 'HEAD:refs/heads/v1.5');
  const { data: milestone } = await fx.as(owner).rest.issues.createMilestone({ owner, repo, title: '1.5' });
  await fx
    .as(owner)
    .rest.issues.updateMilestone({ owner, repo, milestone_number: milestone.number, state: 'closed' });
  bot = await startBotHarness(fx.forge);
});

afterAll(async () => {
  await bot?.close();
  await fx?.close();
});

const labelsOf = async (issue: number) =>
  (await fx.admin.rest.issues.listLabelsOnIssue({ owner, repo, issue_number: issue })).data
    .map((l) => l.name)
    .sort();

const lines = (n: number) => `${Array.from({ length: n }, (_, i) => `line ${i}`).join('\n')}\n`;

async function openPull(
  title: string,
  branch: string,
  files: Record<string, string>,
  options: { base?: string; draft?: boolean } = {},
): Promise<PullFacts & { draft: boolean }> {
  const base = options.base ?? 'main';
  const work = await fx.clone(owner, owner, repo);
  await work.run('checkout', '--quiet', '-b', branch, `origin/${base}`);
  for (const [path, content] of Object.entries(files)) await work.commitFile(path, content, `Change ${path}`);
  await work.run('push', '--quiet', 'origin', branch);
  await fx.forge.idle();
  const { data } = await fx.as(owner).rest.pulls.create({
    owner,
    repo,
    head: branch,
    base,
    title,
    draft: options.draft ?? false,
  });
  return {
    number: data.number,
    author: owner,
    title,
    baseRef: base,
    headSha: data.head.sha,
    labels: [],
    draft: data.draft === true,
  };
}

const event = (action: 'opened' | 'synchronize', pull: PullFacts & { draft: boolean }) => {
  const payload = pullRequestEvent(action, target, pull);
  (payload.pull_request as Record<string, unknown>).draft = pull.draft;
  return payload;
};

it('labels from RE2 rules and an imperative title, sizes without vendor/, and takes the closed milestone', async () => {
  const pull = await openPull(
    'Support Consul namespaces',
    'consul-ns',
    { 'pkg/provider/Consul/catalog.go': lines(20), 'vendor/github.com/hashicorp/consul/api.go': lines(900) },
    { base: 'v1.5' },
  );
  await bot.receive('pull_request', event('opened', pull));
  expect(await labelsOf(pull.number)).toEqual([
    'area/provider/consul',
    'kind/enhancement',
    'size/S',
    'status/0-needs-triage',
  ]);
  const { data } = await fx.admin.rest.issues.get({ owner, repo, issue_number: pull.number });
  expect(data.milestone).toMatchObject({ title: '1.5', state: 'closed' });

  // A maintainer takes the status off; a push does not bring it back.
  await fx
    .as(owner)
    .rest.issues.removeLabel({ owner, repo, issue_number: pull.number, name: 'status/0-needs-triage' });
  const work = await fx.clone(owner, owner, repo);
  await work.run('checkout', '--quiet', 'consul-ns');
  const headSha = await work.commitFile('pkg/provider/Consul/more.go', lines(5), 'More');
  await work.run('push', '--quiet', 'origin', 'consul-ns');
  await fx.forge.idle();
  await bot.receive(
    'pull_request',
    event('synchronize', { ...pull, headSha, labels: await labelsOf(pull.number) }),
  );
  expect(await labelsOf(pull.number)).toEqual(['area/provider/consul', 'kind/enhancement', 'size/S']);
});

it('counts a draft as a status', async () => {
  const pull = await openPull(
    'Add a middleware',
    'draft-mw',
    { 'pkg/middleware.go': lines(3) },
    { draft: true },
  );
  expect(pull.draft).toBe(true);
  await bot.receive('pull_request', event('opened', pull));
  expect(await labelsOf(pull.number)).toEqual(['kind/enhancement', 'size/S']);
});

it('fails the config check on a rule RE2 cannot compile, naming its key path', async () => {
  const pull = await openPull('Tweak the bot config', 'bot-config', {
    '.github/affineur.yml': `${config}      - label: area/docs\n        paths: ['docs/**']\n`,
  });
  await bot.receive('pull_request', event('opened', pull));
  const { data } = await fx.admin.rest.checks.listForRef({
    owner,
    repo,
    ref: pull.headSha,
    check_name: 'affineur/config',
  });
  expect(data.check_runs).toHaveLength(1);
  const [run] = data.check_runs;
  expect(run?.conclusion).toBe('failure');
  expect(run?.output.summary).toContain('AFF_ERR_BOT_AREA_RULE_REGEX');
  expect(run?.output.summary).toContain('triage.areas.rules[1].paths[0]');
});
