/**
 * Starts the sandbox forge: state from the data directory, the HTTP server, the webhook
 * dispatcher and the CI runner, plus a site admin and a GitHub App installed on every repository.
 * This is the programmatic entry other suites use; `affineur sandbox` is a thin shell over it.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AffineurError } from '../errors/affineur-error.js';
import { createLogger, type Logger } from '../log/logger.js';
import { allRoutes } from './api/routes.js';
import { createAccount, issueUserToken } from './api/users.js';
import { actingLogin } from './auth/access.js';
import type { Principal } from './auth/principal.js';
import { CiRunner } from './ci/ci-runner.js';
import type { EventSink, ForgeContext } from './forge-context.js';
import { afterPush } from './git/after-push.js';
import { BareRepository } from './git/bare-repository.js';
import { runGit } from './git/run-git.js';
import { GitSmartHttp } from './git/smart-http.js';
import { createForgeServer } from './http/server.js';
import { noForceRefs, refusalsFor } from './protection/check-push.js';
import type { AppRecord, CiRule, InstallationRecord } from './state/model.js';
import { accountByLogin, repoByName } from './state/queries.js';
import { StateStore } from './state/store.js';
import { isoSeconds } from './state/timestamp.js';
import { appPageRoutes } from './web/app-pages.js';
import { WebhookDispatcher } from './webhooks/dispatcher.js';
import { emitInstallationCreated } from './webhooks/installation-events.js';

export interface ForgeOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where state and repositories live; a fresh temp directory (removed on close) when omitted. */
  dataDir?: string;
  logger?: Logger;
  /** Delays before retrying a failed webhook delivery. */
  webhookRetryDelaysMs?: number[];
  /** The CI rule given to repositories that have none. */
  defaultCiRule?: CiRule | null;
  /**
   * Sees every event the moment the forge emits it, before any delivery: for tools that time
   * the forge and its apps (when CI reported, when a pull request merged).
   */
  onEvent?: (event: string, payload: Record<string, unknown>) => void;
  /** How long an idle keep-alive connection stays open; Node's 5 s when omitted. */
  keepAliveTimeoutMs?: number;
  /**
   * The forge's clock: every timestamp it records (issues created, updated, closed) reads it.
   * Tests that need old items (stale rules, locks) move it back, create them, and move it on.
   */
  now?: () => Date;
}

export interface RunningForge {
  apiUrl: string;
  gitUrl: string;
  dataDir: string;
  adminLogin: string;
  adminToken: string;
  app: { id: number; slug: string; privateKey: string; webhookSecret: string; installationId: number };
  setWebhookUrl(url: string | null): Promise<void>;
  /** Sets the CI rule of one repository (null removes it). */
  setCiRule(owner: string, repo: string, rule: CiRule | null): Promise<void>;
  /** Resolves when queued webhooks are delivered and CI runs have reported. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const appEvents = [
  'check_run',
  'check_suite',
  'create',
  'delete',
  'issue_comment',
  'issues',
  'label',
  'pull_request',
  'pull_request_review',
  'push',
  'release',
  'status',
];

const appPermissions: AppRecord['permissions'] = {
  checks: 'write',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write',
  statuses: 'write',
};

async function requireGit(): Promise<void> {
  let version: string;
  try {
    version = (await runGit(['--version'], { cwd: tmpdir() })).stdout;
  } catch (cause) {
    throw new AffineurError('AFF_ERR_FORGE_START', 'git is not installed.', {
      hint: 'Install git 2.38 or newer.',
      cause,
    });
  }
  const [, major = '0', minor = '0'] = /(\d+)\.(\d+)/.exec(version) ?? [];
  if (Number(major) < 2 || (Number(major) === 2 && Number(minor) < 38)) {
    throw new AffineurError(
      'AFF_ERR_FORGE_START',
      `git ${major}.${minor} is too old: the forge needs merge-tree --write-tree.`,
      {
        hint: 'Install git 2.38 or newer.',
      },
    );
  }
}

export async function startForge(options: ForgeOptions = {}): Promise<RunningForge> {
  await requireGit();
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'affineur-forge-')));
  const gitRoot = join(dataDir, 'git');
  try {
    await mkdir(gitRoot, { recursive: true });
  } catch (cause) {
    throw new AffineurError('AFF_ERR_FORGE_START', `cannot create the data directory ${dataDir}.`, {
      hint: 'Pass a writable directory with --data.',
      cause,
    });
  }
  const logger = options.logger ?? createLogger({ name: 'forge', level: process.env.LOG_LEVEL ?? 'warn' });
  const store = StateStore.open(dataDir);
  const now = options.now ?? (() => new Date());
  const dispatcher = new WebhookDispatcher({
    store,
    logger,
    now,
    ...(options.webhookRetryDelaysMs ? { retryDelaysMs: options.webhookRetryDelaysMs } : {}),
  });
  const ci = new CiRunner();
  const ctx: ForgeContext = {
    store,
    urls: { api: '', web: '' },
    git: (repo) => new BareRepository(join(gitRoot, `${repo.id}.git`)),
    events: options.onEvent ? observed(dispatcher, options.onEvent) : dispatcher,
    pushes: {
      pushed(repo, ref, sha) {
        if (!repo.ciRule && options.defaultCiRule) repo.ciRule = options.defaultCiRule;
        ci.pushed(repo, ref, sha);
      },
    },
    logger,
    now,
  };
  const pusherOf = (principal: Principal) => {
    const login = actingLogin(store.state, principal);
    return login ? accountByLogin(store.state, login) : undefined;
  };
  const gitHttp = new GitSmartHttp(
    ctx,
    gitRoot,
    async (repo, updates, principal) => {
      const pusher = pusherOf(principal);
      if (pusher) await afterPush(ctx, repo, updates, pusher);
    },
    async (repo, updates, principal) => {
      const pusher = pusherOf(principal);
      if (!pusher) return { refusals: [], noForceRefs: [] };
      // The pushed commits are not readable yet: fast-forwards are the pre-receive hook's call.
      const checked = await Promise.all(
        updates.map((u) => refusalsFor(ctx, repo, u, pusher, { assumeFastForward: true })),
      );
      return { refusals: checked.flat(), noForceRefs: noForceRefs(repo, updates) };
    },
  );
  const server = createForgeServer({
    ctx,
    routes: allRoutes(),
    pages: appPageRoutes,
    git: gitHttp,
    ...(options.keepAliveTimeoutMs !== undefined ? { keepAliveTimeoutMs: options.keepAliveTimeoutMs } : {}),
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) =>
      reject(
        new AffineurError('AFF_ERR_FORGE_START', `cannot listen on ${host}:${options.port ?? 0}.`, {
          hint: 'Pick another --port or stop the process using it.',
          cause,
        }),
      ),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const web = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.urls.api = `${web}/api/v3`;
  ctx.urls.web = web;

  const boot = await store.write(async () => {
    const state = store.state;
    const admin =
      accountByLogin(state, 'admin') ??
      createAccount(ctx, {
        login: 'admin',
        type: 'User',
        siteAdmin: true,
        email: 'admin@forge.localhost',
        name: 'Forge Admin',
      });
    const { token } = issueUserToken(ctx, admin.login, ['repo', 'site_admin', 'admin:org'], 'sandbox admin');
    const keyFile = join(dataDir, 'app-private-key.pem');
    let app = state.apps[0];
    let privateKey: string;
    if (!app || !existsSync(keyFile)) {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      privateKey = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      await writeFile(keyFile, privateKey, { mode: 0o600 });
      await chmod(keyFile, 0o600);
      const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
      if (app) {
        app.publicKeyPem = publicKeyPem;
      } else {
        const stamp = isoSeconds(now());
        app = {
          id: store.nextId(),
          slug: 'affineur-sandbox',
          name: 'affineur sandbox',
          clientId: `Iv1.${randomBytes(8).toString('hex')}`,
          ownerLogin: admin.login,
          publicKeyPem,
          webhookSecret: randomBytes(20).toString('hex'),
          webhookUrl: null,
          events: appEvents,
          permissions: appPermissions,
          createdAt: stamp,
          updatedAt: stamp,
        };
        state.apps.push(app);
        createAccount(ctx, { login: `${app.slug}[bot]`, type: 'Bot' });
      }
    } else {
      privateKey = await readFile(keyFile, 'utf8');
    }
    let installation = state.installations.find((i) => i.appId === app.id);
    if (!installation) {
      const stamp = isoSeconds(now());
      const record: InstallationRecord = {
        id: store.nextId(),
        appId: app.id,
        accountLogin: admin.login,
        repositorySelection: 'all',
        repositoryIds: [],
        createdAt: stamp,
        updatedAt: stamp,
      };
      state.installations.push(record);
      installation = record;
    }
    return { admin, token, app, privateKey, installation };
  });
  ci.attach(ctx, { appId: boot.app.id, botLogin: `${boot.app.slug}[bot]` });

  let closed = false;
  return {
    apiUrl: ctx.urls.api,
    gitUrl: web,
    dataDir,
    adminLogin: boot.admin.login,
    adminToken: boot.token,
    app: {
      id: boot.app.id,
      slug: boot.app.slug,
      privateKey: boot.privateKey,
      webhookSecret: boot.app.webhookSecret,
      installationId: boot.installation.id,
    },
    setWebhookUrl: (url) =>
      store.write(() => {
        const app = store.state.apps.find((a) => a.id === boot.app.id);
        if (!app) return;
        const first = app.webhookUrl === null && url !== null;
        app.webhookUrl = url;
        const installation = store.state.installations.find((i) => i.id === boot.installation.id);
        const owner = installation && accountByLogin(store.state, installation.accountLogin);
        if (first && installation && owner) emitInstallationCreated(ctx, installation, owner);
      }),
    setCiRule: (owner, name, rule) =>
      store.write(() => {
        const repo = repoByName(store.state, owner, name);
        if (!repo)
          throw new AffineurError('AFF_ERR_CLI_BAD_ARGUMENT', `no repository ${owner}/${name} in the forge.`);
        repo.ciRule = rule;
      }),
    async idle() {
      // A push's follow-up (CI start, webhooks) runs in the write that wraps the push, which may
      // still be finishing when git's client already has its answer: drain writes first.
      await store.flush();
      await ci.idle();
      await store.flush();
      await dispatcher.idle();
      await store.flush();
    },
    async close() {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ci.idle();
      await dispatcher.close();
      await store.flush();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function observed(sink: EventSink, onEvent: NonNullable<ForgeOptions['onEvent']>): EventSink {
  return {
    emit(event, payload, repo, installationId) {
      onEvent(event, payload);
      sink.emit(event, payload, repo, installationId);
    },
    redeliver: (delivery) => sink.redeliver(delivery),
  };
}
