/**
 * The merge queue's end-to-end kit: a sandbox forge with users, repositories set up the way a
 * maintainer would (config file, CI rule, branch protection), contributors opening PRs with real
 * git pushes, and the bot itself (Probot server, BullMQ on real Redis, the merge runtime).
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Octokit } from '@octokit/rest';
import { Probot, Server } from 'probot';
import { afterAll, beforeAll } from 'vitest';
import { affineurApp, BotOctokit } from '../../../../bot/app.js';
import { loadRepoConfig } from '../../../../bot/config/load-repo-config.js';
import { githubConfigReader } from '../../../../bot/github/config-file-reader.js';
import type { GitHubClient } from '../../../../bot/github/github-client.js';
import { createMergeRuntime, type MergeRuntime } from '../../../../bot/merge/merge-runtime.js';
import { mergeQueueSettings } from '../../../../bot/merge/merge-settings-from-config.js';
import { createBullmqQueue } from '../../../../bot/queue/bullmq-queue.js';
import type { EventQueue } from '../../../../bot/queue/event-queue.js';
import type { QueuedEvent } from '../../../../bot/queue/queued-event.js';
import { createLogger, type Logger } from '../../../../src/log/logger.js';
import { cloneAs, credentialUrl, type GitClient } from '../../../support/forge-git.js';
import type { ForgeHarness } from '../../../support/forge-harness.js';
import { freePort, redisUrl } from '../../../support/services.js';
import { deleteKeys, uniquePrefix } from '../queue/queue-test-kit.js';

export const log = createLogger({
  level: process.env.MERGE_TEST_LOG ?? 'silent',
  format: 'json',
  name: 'bot',
});
const quiet = log;

export const readyLabel = 'status/3-needs-merge';
export const needHumanLabel = 'bot/need-human-merge';

export interface RepoOptions {
  /** Branch protection on main: required `sandbox-ci`, strict. */
  strict?: boolean;
  /** Runs the forge CI (a `sandbox-ci` check run; `[fail]` in a commit message fails it). */
  ci?: boolean;
  /** Extra YAML lines under `merge:`. */
  merge?: string[];
  /** The repository's `merge.dryRun` (false unless set). */
  dryRun?: boolean;
}

export interface RepoFixture {
  owner: string;
  name: string;
  full: string;
  /** The maintainer's clone (admin). */
  maintainer: GitClient;
  milestone: number;
  /** Pushes a commit to main as the maintainer; resolves to its sha. */
  pushToMain(file: string, content: string, message: string): Promise<string>;
  /** alice pushes a branch from main (as it is now) and opens a PR. */
  openPullRequest(
    branch: string,
    file: string,
    options?: { title?: string; body?: string; draft?: boolean },
  ): Promise<number>;
  /** Adds labels as the admin (a maintainer). */
  label(number: number, ...labels: string[]): Promise<void>;
  /** Gives `username` that role on the repository. */
  addCollaborator(username: string, permission: 'triage' | 'push' | 'maintain' | 'admin'): Promise<void>;
  /**
   * Protects `branch` as the admin: no required checks, no review rule, admins exempt, unless
   * `rules` says otherwise.
   */
  protect(branch: string, rules?: ProtectionRules): Promise<void>;
  /** alice pushes one more commit to her branch; resolves to the new head. */
  pushToBranch(branch: string, file: string, message: string): Promise<string>;
  /** Milestone and reviews, so the PR meets every condition but the label. */
  approve(number: number, reviewers?: string[]): Promise<void>;
  pull(number: number): Promise<Awaited<ReturnType<Octokit['rest']['pulls']['get']>>['data']>;
  labels(number: number): Promise<string[]>;
  comments(number: number): Promise<string[]>;
  reviews(number: number): Promise<Awaited<ReturnType<Octokit['rest']['pulls']['listReviews']>>['data']>;
}

/** Branch protection as the tests set it; what is left out stays off. */
export interface ProtectionRules {
  required_status_checks?: { strict: boolean; contexts: string[] } | null;
  enforce_admins?: boolean;
  required_pull_request_reviews?: {
    required_approving_review_count?: number;
    dismiss_stale_reviews?: boolean;
  } | null;
}

let repoCount = 0;

export async function createRepo(h: ForgeHarness, options: RepoOptions = {}): Promise<RepoFixture> {
  const { admin, forge } = h;
  const owner = forge.adminLogin;
  const name = `queue-${++repoCount}-${process.pid}`;
  await admin.rest.repos.createForAuthenticatedUser({ name, auto_init: true });
  await admin.rest.repos.addCollaborator({ owner, repo: name, username: 'alice', permission: 'push' });
  if (options.ci)
    await forge.setCiRule(owner, name, { report: 'check', name: 'sandbox-ci', mode: 'message' });

  const maintainer = await cloneAs(
    'admin',
    credentialUrl(forge.gitUrl, forge.adminToken, `${owner}/${name}.git`),
  );
  const config = [
    'triage:',
    '  enabled: false',
    'labels:',
    '  sync: false',
    'merge:',
    '  enabled: true',
    `  dryRun: ${options.dryRun ?? false}`,
    '  minReview: 1',
    ...(options.merge ?? []).map((line) => `  ${line}`),
    '',
  ].join('\n');
  await maintainer.commitFile('.github/affineur.yml', config, 'chore: merge queue config');
  await maintainer.run('push', '--quiet', 'origin', 'HEAD:main');
  const protect = async (branch: string, rules: ProtectionRules = {}) => {
    await admin.rest.repos.updateBranchProtection({
      owner,
      repo: name,
      branch,
      required_status_checks: null,
      enforce_admins: false,
      required_pull_request_reviews: null,
      restrictions: null,
      ...rules,
    });
  };
  if (options.strict)
    await protect('main', { required_status_checks: { strict: true, contexts: ['sandbox-ci'] } });
  const { data: milestone } = await admin.rest.issues.createMilestone({ owner, repo: name, title: 'v1.0' });
  const alice = await cloneAs('alice', credentialUrl(forge.gitUrl, h.tokens.alice!, `${owner}/${name}.git`));
  const repo = { owner, repo: name };

  return {
    owner,
    name,
    full: `${owner}/${name}`,
    maintainer,
    milestone: milestone.number,
    async pushToMain(file, content, message) {
      await maintainer.run('fetch', '--quiet', 'origin');
      await maintainer.run('checkout', '--quiet', '-B', 'main', 'origin/main');
      const sha = await maintainer.commitFile(file, content, message);
      await maintainer.run('push', '--quiet', 'origin', 'main');
      return sha;
    },
    async openPullRequest(branch, file, { title = `feat: add ${file}`, body = '', draft = false } = {}) {
      await alice.run('fetch', '--quiet', 'origin');
      await alice.run('checkout', '--quiet', '-B', branch, 'origin/main');
      await alice.commitFile(file, `${file}\n`, title);
      await alice.run('push', '--quiet', 'origin', branch);
      const { data } = await h
        .as('alice')
        .rest.pulls.create({ ...repo, head: branch, base: 'main', title, body, draft });
      return data.number;
    },
    async label(number, ...labels) {
      await admin.rest.issues.addLabels({ ...repo, issue_number: number, labels });
    },
    async addCollaborator(username, permission) {
      await admin.rest.repos.addCollaborator({ ...repo, username, permission });
    },
    protect,
    async pushToBranch(branch, file, message) {
      await alice.run('checkout', '--quiet', branch);
      const sha = await alice.commitFile(file, `${file}\n`, message);
      await alice.run('push', '--quiet', 'origin', branch);
      return sha;
    },
    async approve(number, reviewers = ['bob']) {
      await admin.rest.issues.update({ ...repo, issue_number: number, milestone: milestone.number });
      for (const reviewer of reviewers) {
        await h.as(reviewer).rest.pulls.createReview({ ...repo, pull_number: number, event: 'APPROVE' });
      }
    },
    async pull(number) {
      return (await admin.rest.pulls.get({ ...repo, pull_number: number })).data;
    },
    async labels(number) {
      const { data } = await admin.rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
      return data.map((l) => l.name);
    },
    async comments(number) {
      const { data } = await admin.rest.issues.listComments({ ...repo, issue_number: number });
      return data.map((c) => c.body ?? '');
    },
    async reviews(number) {
      return (await admin.rest.pulls.listReviews({ ...repo, pull_number: number })).data;
    },
  };
}

/** Polls until `check` resolves to a truthy value; generous timeout, no wall-clock asserts. */
export async function eventually<T>(
  check: () => Promise<T>,
  what: string,
  timeoutMs = 90_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

export interface RunningBot {
  url: string;
  queue: EventQueue;
  merge: MergeRuntime;
  prefix: string;
  /** Waits until the forge has delivered everything and the bot has handled it. */
  settled(): Promise<void>;
  /** `keepKeys` leaves the queue in Redis, as a crash or a restart would. */
  stop(options?: { keepKeys?: boolean }): Promise<void>;
}

/** A logger at `info` whose JSON lines the test can read. */
export function capturedLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger({ level: 'info', format: 'json', destination }), lines: () => lines };
}

/**
 * An outside CI the test drives by hand: check runs written with the app's installation token
 * (only apps write check runs), started and finished when the test says so.
 */
export async function externalCi(h: ForgeHarness, name = 'ext-ci') {
  const client = h.clients.client(await h.installationToken());
  return {
    name,
    async start(repo: RepoFixture, sha: string): Promise<number> {
      const { data } = await client.rest.checks.create({
        owner: repo.owner,
        repo: repo.name,
        name,
        head_sha: sha,
        status: 'in_progress',
      });
      return data.id;
    },
    async finish(repo: RepoFixture, id: number, conclusion: 'success' | 'failure') {
      await client.rest.checks.update({
        owner: repo.owner,
        repo: repo.name,
        check_run_id: id,
        status: 'completed',
        conclusion,
      });
    },
    /** Starts and finishes a run on `sha`. */
    async report(repo: RepoFixture, sha: string, conclusion: 'success' | 'failure'): Promise<number> {
      const id = await this.start(repo, sha);
      await this.finish(repo, id, conclusion);
      return id;
    },
  };
}

/** The latest `affineur/merge` check run on a commit, as the forge shows it. */
export async function mergeCheckOn(h: ForgeHarness, repo: RepoFixture, sha: string) {
  const { data } = await h.admin.rest.checks.listForRef({
    owner: repo.owner,
    repo: repo.name,
    ref: sha,
    check_name: 'affineur/merge',
  });
  return data.check_runs.sort((a, b) => b.id - a.id)[0];
}

export interface BotOptions {
  /** Run workers in this process (default), or only receive and enqueue (workers elsewhere). */
  processEvents?: boolean;
  prefix?: string;
  sweepIntervalMs?: number;
  globalDryRun?: boolean;
  onEventRequests?: (requests: number) => void;
  onMergeRequested?: (merge: { repo: string; number: number; sha: string }) => void;
  /** Every API request of every handled event (triage included). */
  onHandled?: (deliveryId: string, requests: number) => void;
  /** Sees each webhook as the bot enqueues it, right after the signature check. */
  onEnqueue?: (event: QueuedEvent) => void;
  /** The bot's logger (silent by default). */
  log?: Logger;
}

/**
 * What the merge queue needs to be driven by hand, when no bot listens to the forge (as after a
 * restart or a lost webhook): the app's installation client, the repository's own config, and a
 * runtime without a sweep. Close `runtime` at the end of the test.
 */
export async function handDrivenQueue(h: ForgeHarness, repo: RepoFixture) {
  const probot = new Probot({
    appId: h.forge.app.id,
    privateKey: h.forge.app.privateKey,
    baseUrl: h.forge.apiUrl,
    Octokit: BotOctokit,
    log,
  });
  const octokit = (await probot.auth(h.forge.app.installationId)) as unknown as GitHubClient;
  const target = { owner: repo.owner, repo: repo.name };
  const { config } = await loadRepoConfig(githubConfigReader(octokit), target);
  const runtime = createMergeRuntime({ log, sweepIntervalMs: 0, mergeablePollMs: [100] });
  return {
    octokit,
    repo: target,
    log,
    settings: mergeQueueSettings(config),
    runtime,
    held: { assertHeld() {} },
  };
}

/**
 * The bot for a whole suite: started before its first test, stopped after its last. Call it in
 * a `describe` after `useForge`; the getter gives the running bot.
 */
export function useBot(harness: () => ForgeHarness, options: BotOptions = {}): () => RunningBot {
  let bot: RunningBot | undefined;
  beforeAll(async () => {
    bot = await startBot(harness(), options);
  });
  afterAll(async () => bot?.stop());
  return () => {
    if (!bot) throw new Error('the bot is not running: useBot() works inside a describe, in its tests');
    return bot;
  };
}

export async function startBot(h: ForgeHarness, options: BotOptions = {}): Promise<RunningBot> {
  const log = options.log ?? quiet;
  const url = await redisUrl();
  const prefix = options.prefix ?? uniquePrefix();
  const bullmq = createBullmqQueue({
    redisUrl: url,
    log,
    prefix,
    lockDurationMs: 3_000,
    stalledIntervalMs: 1_000,
  });
  const queue: EventQueue = {
    ...bullmq,
    enqueue(event, enqueueOptions) {
      options.onEnqueue?.(event);
      return bullmq.enqueue(event, enqueueOptions);
    },
  };
  const merge = createMergeRuntime({
    log,
    redisUrl: url,
    prefix,
    lockTtlMs: 3_000,
    sweepIntervalMs: options.sweepIntervalMs ?? 0,
    workDir: mkdtempSync(join(tmpdir(), 'affineur-merge-test-')),
    mergeablePollMs: [100, 200, 400],
    ...(options.onEventRequests ? { onEventRequests: options.onEventRequests } : {}),
    ...(options.onMergeRequested ? { onMergeRequested: options.onMergeRequested } : {}),
  });
  // Probot's Server reads `port: 0` as "unset" and falls back to 3000: ask for a free port.
  const server = new Server({
    port: await freePort(),
    host: '127.0.0.1',
    log,
    Probot: Probot.defaults({
      appId: h.forge.app.id,
      privateKey: h.forge.app.privateKey,
      secret: h.forge.app.webhookSecret,
      log,
      Octokit: BotOctokit,
      baseUrl: h.forge.apiUrl,
    }),
  });
  await server.load(
    affineurApp({
      queue,
      log,
      globalDryRun: options.globalDryRun ?? false,
      merge,
      processEvents: options.processEvents ?? true,
      ...(options.onHandled ? { onHandled: options.onHandled } : {}),
    }),
  );
  const http = await server.start();
  const botUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/github/webhooks`;
  await h.forge.setWebhookUrl(botUrl);
  return {
    url: botUrl,
    queue,
    merge,
    prefix,
    async settled() {
      for (let quiet = 0; quiet < 3; ) {
        await h.forge.idle();
        const { pending } = await queue.health();
        quiet = pending === 0 ? quiet + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(stopOptions = {}) {
      await server.stop();
      await queue.close();
      await merge.close();
      if (!stopOptions.keepKeys) await deleteKeys(url, prefix);
    },
  };
}
