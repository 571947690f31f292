/**
 * Acts 2 to 4: the maintainers' automation, offline. A sandbox forge plays GitHub (real git
 * over HTTP, signed webhooks, a CI runner), the bot runs beside it exactly as `affineur sandbox`
 * runs it, and a small team works on a repository: issues and PRs get triaged, ready PRs go
 * through the merge queue (one is rebased on the way), and a `/release` comment ends in a
 * cheese-named GitHub release.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { startBotForForge } from '../../bot/sandbox-bot.js';
import { type RunningForge, startForge } from '../../src/forge/start-forge.js';
import { createLogger } from '../../src/log/logger.js';
import { GitWorkspace } from '../git-workspace.js';
import type { Narrator } from '../narrator.js';

const repoConfig = `# The bot's settings for this repository (see docs/bot.md).
triage:
  areas:
    rules:
      - label: area/middleware
        paths: ["proxy/middleware/**"]
      - label: area/provider/docker
        paths: ["proxy/provider/docker/**"]
      - label: area/documentation
        paths: ["docs/**"]
merge:
  enabled: true
  dryRun: false
  minReview: 1
  minLightReview: 1
  needMilestone: false
`;

/** Polls until `probe` returns a value; the demo waits on the bot the way a person would. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 90_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the demo waited ${timeoutMs / 1000}s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function communityAct(narrator: Narrator): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'affineur-demo-forge-'));
  let forge: RunningForge | undefined;
  let bot: { close(): Promise<void> } | undefined;
  try {
    narrator.act('The sandbox forge and the bot: triage');
    narrator.step('Start the sandbox forge (a local GitHub) and the bot, as `affineur sandbox` does.');
    forge = await startForge({ dataDir: join(dir, 'forge') });
    bot = await startBotForForge(forge, {}, createLogger({ level: 'silent' }));
    narrator.saw(
      `forge API at ${forge.apiUrl}, git at ${forge.gitUrl}; the app is installed on every repository`,
    );

    const admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken, log: quietLog });
    const tokens: Record<string, string> = {};
    for (const login of ['bob', 'carol']) {
      await admin.request('POST /admin/users', { login, email: `${login}@cheese-shop.test` });
      const { data } = await admin.request('POST /admin/users/{username}/authorizations', {
        username: login,
        scopes: ['repo'],
      });
      tokens[login] = data.token;
    }
    const as = (login: string) => new Octokit({ baseUrl: forge?.apiUrl, auth: tokens[login], log: quietLog });
    const owner = forge.adminLogin;
    const repo = { owner, repo: 'cheese-shop' };
    await admin.rest.repos.createForAuthenticatedUser({ name: repo.repo, auto_init: true });
    for (const login of ['bob', 'carol']) {
      await admin.rest.repos.addCollaborator({ ...repo, username: login, permission: 'push' });
    }
    await forge.setCiRule(owner, repo.repo, { report: 'check', name: 'ci', mode: 'message' });
    const url = `${forge.gitUrl}/${owner}/${repo.repo}.git`;
    const maintainer = await GitWorkspace.clone(url, join(dir, 'maintainer'), owner, forge.adminToken);
    await maintainer.commit(
      {
        '.github/affineur.yml': repoConfig,
        'package.json': '{\n  "name": "cheese-shop",\n  "version": "0.0.0"\n}\n',
      },
      'chore: configure the bot',
    );
    await maintainer.git('push', '--quiet', 'origin', 'HEAD:main');
    narrator.step(
      `Create users bob and carol and the repository ${owner}/${repo.repo}, with the bot's config.`,
    );
    narrator.saw(
      'areas from paths: proxy/middleware/** → area/middleware, proxy/provider/docker/** → area/provider/docker',
    );

    narrator.step('bob opens an issue with no label.');
    const { data: issue } = await as('bob').rest.issues.create({
      ...repo,
      title: 'The brie is too runny at noon',
    });
    const issueLabels = await eventually('the triage label', async () => {
      const labels = await labelsOf(admin, repo, issue.number);
      return labels.length > 0 ? labels : undefined;
    });
    narrator.saw(`issue #${issue.number} labelled ${issueLabels.join(', ')}`);

    const bob = await GitWorkspace.clone(url, join(dir, 'bob'), 'bob', tokens.bob as string);
    const pulls: { number: number; title: string }[] = [];
    const openPull = async (branch: string, title: string, files: Record<string, string>) => {
      await bob.pushBranch(branch, files, title);
      const { data } = await as('bob').rest.pulls.create({ ...repo, head: branch, base: 'main', title });
      pulls.push({ number: data.number, title });
      return data.number;
    };
    narrator.step('bob pushes three branches with git and opens a pull request for each.');
    await openPull('feat/brie-middleware', 'feat: add a brie middleware', {
      'proxy/middleware/brie/brie.ts': 'export const brie = "soft";\n',
    });
    await openPull('fix/docker-labels', 'fix: keep the docker labels of a restarted container', {
      'proxy/provider/docker/labels.ts': 'export const keep = true;\n',
    });
    await openPull('docs/cheese-board', 'docs: explain the cheese board', {
      'docs/cheese-board.md': '# The cheese board\n\nSoft, then pressed, then blue.\n',
    });
    for (const pull of pulls) {
      const labels = await eventually(`the labels of #${pull.number}`, async () => {
        const found = await labelsOf(admin, repo, pull.number);
        return found.some((l) => l.startsWith('size/')) ? found : undefined;
      });
      narrator.saw(`#${pull.number} "${pull.title}" → ${labels.join(', ')}`);
    }

    narrator.act('The merge queue');
    narrator.step('Protect main: CI must pass and branches must be up to date. carol approves all three.');
    await admin.rest.repos.updateBranchProtection({
      ...repo,
      branch: 'main',
      required_status_checks: { strict: true, contexts: ['ci'] },
      enforce_admins: false,
      required_pull_request_reviews: null,
      restrictions: null,
    });
    for (const pull of pulls) {
      await as('carol').rest.pulls.createReview({ ...repo, pull_number: pull.number, event: 'APPROVE' });
    }
    narrator.step('The maintainer comments `/merge` on each: the bot queues them, one at a time.');
    const heads = new Map<number, string>();
    for (const pull of pulls) {
      heads.set(
        pull.number,
        (await admin.rest.pulls.get({ ...repo, pull_number: pull.number })).data.head.sha,
      );
      await admin.rest.issues.createComment({ ...repo, issue_number: pull.number, body: '/merge' });
    }
    for (const pull of pulls) {
      const merged = await eventually(`the merge of #${pull.number}`, async () => {
        const { data } = await admin.rest.pulls.get({ ...repo, pull_number: pull.number });
        return data.merged ? data : undefined;
      });
      const rebased = merged.head.sha !== heads.get(pull.number);
      narrator.saw(
        `#${pull.number} merged as ${merged.merge_commit_sha?.slice(0, 7)}${rebased ? ' (the bot rebased it first, then CI ran again)' : ''}`,
      );
    }
    const { data: check } = await admin.rest.checks.listForRef({
      ...repo,
      ref: heads.get(pulls[0]?.number ?? 0) ?? 'main',
      check_name: 'affineur/merge',
    });
    const summary = check.check_runs[0]?.output.summary;
    if (summary) narrator.saw(`the affineur/merge check on the first PR said:\n${summary}`);
    const log = await maintainer
      .git('fetch', '--quiet', 'origin')
      .then(() => maintainer.git('log', '--format=%s', 'origin/main'));
    narrator.saw(`main is linear:\n${log}`);

    narrator.act('A cheese-named release');
    narrator.step('The maintainer comments `/release minor` on the issue.');
    await admin.rest.issues.createComment({ ...repo, issue_number: issue.number, body: '/release minor' });
    const releasePull = await eventually('the release pull request', async () => {
      const { data } = await admin.rest.pulls.list({ ...repo, state: 'open' });
      return data.find((p) => p.title.startsWith('Prepare release'));
    });
    narrator.saw(`#${releasePull.number} "${releasePull.title}": ${releasePull.body?.split('\n')[0] ?? ''}`);
    narrator.step('carol approves it (light review), and it goes through the merge queue like any other PR.');
    await as('carol').rest.pulls.createReview({ ...repo, pull_number: releasePull.number, event: 'APPROVE' });
    await admin.rest.issues.createComment({ ...repo, issue_number: releasePull.number, body: '/merge' });
    const release = await eventually('the GitHub release', async () => {
      const { data } = await admin.rest.repos.listReleases(repo);
      return data[0];
    });
    narrator.saw(`tag ${release.tag_name}, release "${release.name}"`);
    narrator.saw(`its changelog:\n${release.body ?? ''}`);
  } finally {
    await bot?.close();
    await forge?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function labelsOf(
  octokit: Octokit,
  repo: { owner: string; repo: string },
  number: number,
): Promise<string[]> {
  const { data } = await octokit.rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((label) => label.name);
}

/** Octokit logs failed requests on the console by default; the demo narrates instead. */
const quietLog = { debug() {}, info() {}, warn() {}, error() {} };
