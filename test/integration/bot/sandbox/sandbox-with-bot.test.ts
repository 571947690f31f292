/**
 * `affineur sandbox` runs the bot beside the forge in one process: spawn the real CLI, read its
 * JSON line, create a repository and an issue with the admin token, and the bot labels it. Run
 * with the in-process queue (no REDIS_URL) and with BullMQ (REDIS_URL set).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { redisUrl } from '../../../support/services.js';
import { deleteKeys, uniquePrefix } from '../queue/queue-test-kit.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
let child: ChildProcess | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  child = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface SandboxInfo {
  api: string;
  token: string;
}

/** Starts `affineur sandbox --json`; resolves with its JSON line and a waiter on its log lines. */
async function startSandbox(env: NodeJS.ProcessEnv) {
  const started = spawn(process.execPath, ['bin/affineur.js', 'sandbox', '--json'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  const logLines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: () => void }[] = [];
  createInterface({ input: started.stderr! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    logLines.push(line);
    for (const w of [...waiters]) if (w.match(line)) waiters.splice(waiters.indexOf(w), 1) && w.resolve();
  });
  const stdout = createInterface({ input: started.stdout! });
  const [first] = (await Promise.race([
    once(stdout, 'line'),
    once(started, 'exit').then(([code]) => {
      throw new Error(`affineur sandbox exited (${code}) before printing its JSON line`);
    }),
  ])) as [string];
  const waitForLog = (match: (l: Record<string, unknown>) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (logLines.some(match)) return resolve();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 30_000);
      waiters.push({
        match,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  return { info: JSON.parse(first) as SandboxInfo, logLines, waitForLog, stdout };
}

const withoutRedis = () => {
  const env = { ...process.env };
  delete env.REDIS_URL;
  delete env.AFFINEUR_DRY_RUN;
  // The test waits on the bot's info lines.
  env.LOG_LEVEL = 'info';
  return env;
};

describe.each([
  ['in-process', async () => withoutRedis()],
  [
    'bullmq',
    async () => {
      const url = await redisUrl();
      const prefix = uniquePrefix();
      cleanups.push(() => deleteKeys(url, prefix));
      return { ...withoutRedis(), REDIS_URL: url, AFFINEUR_QUEUE_PREFIX: prefix };
    },
  ],
] as const)('affineur sandbox with the bot (%s queue)', (kind, makeEnv) => {
  it('labels an issue created with the admin token, prints only the JSON line on stdout, and stops cleanly', async () => {
    const sandbox = await startSandbox(await makeEnv());
    const extraStdout: string[] = [];
    sandbox.stdout.on('line', (line) => extraStdout.push(line));
    const admin = new Octokit({
      baseUrl: sandbox.info.api,
      auth: sandbox.info.token,
      request: { retries: 0 },
    });
    await admin.rest.repos.createForAuthenticatedUser({ name: 'raclette', auto_init: true });
    const { data: issue } = await admin.rest.issues.create({
      owner: 'admin',
      repo: 'raclette',
      title: 'Melt it',
    });
    await sandbox.waitForLog(
      (l) => l.msg === 'event handled' && l.event === 'issues.opened',
      'issues.opened handled',
    );
    const { data: labels } = await admin.rest.issues.listLabelsOnIssue({
      owner: 'admin',
      repo: 'raclette',
      issue_number: issue.number,
    });
    expect(labels.map((l) => l.name)).toEqual(['status/0-needs-triage']);
    expect(sandbox.logLines.find((l) => l.msg === 'affineur bot is listening')).toMatchObject({
      queue: kind,
    });

    child!.kill('SIGTERM');
    const [code] = (await once(child!, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(extraStdout).toEqual([]);
  });
});
