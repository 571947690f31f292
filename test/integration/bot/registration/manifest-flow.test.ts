/**
 * The whole manifest flow against the sandbox forge, driven the way a browser drives it:
 * `affineur bot` without credentials serves its page, the page's form goes to the forge's "new
 * app" page (signed in with HTTP Basic, as a browser would after the forge's prompt), the
 * forge's redirect lands on the bot's callback, and the bot trades the one-time code for
 * credentials in `.env`. A bot started from that `.env` then gets the forge's signed webhook
 * when the app is installed, and the key it was given signs JWTs the forge accepts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type RunningForge, startForge } from '../../../../src/forge/start-forge.js';
import { signAppJwt } from '../../../support/forge-harness.js';
import { freePort } from '../../../support/services.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');

const unescapeHtml = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** `affineur bot` in `dir`, answering on `port`; resolves once its /healthz answers at all. */
async function startBot(dir: string, env: Record<string, string | undefined>, port: number) {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/affineur.js'), 'bot'], {
    cwd: dir,
    env,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`affineur bot exited with ${child.exitCode}:\n${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`affineur bot never answered:\n${output}`);
}

async function stopBot(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

describe('registering the app through the sandbox forge', () => {
  let forge: RunningForge;
  let dir: string;
  let port: number;
  let base: string;
  let env: Record<string, string | undefined>;
  let bot: ChildProcess | undefined;
  let basicAuth: string;

  beforeAll(async () => {
    forge = await startForge({ webhookRetryDelaysMs: [] });
    dir = await mkdtemp(join(tmpdir(), 'affineur-register-'));
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
    for (const key of [
      'APP_ID',
      'PRIVATE_KEY',
      'PRIVATE_KEY_PATH',
      'WEBHOOK_SECRET',
      'WEBHOOK_PROXY_URL',
      'PUBLIC_URL',
      'GITHUB_API_URL',
      'GH_ORG',
      'APP_NAME',
      'REDIS_URL',
    ])
      delete env[key];
    // Probot's GitHub Enterprise settings point both the form and the API at the forge.
    env.GHE_HOST = new URL(forge.gitUrl).host;
    env.GHE_PROTOCOL = 'http';
    basicAuth = `Basic ${Buffer.from(`${forge.adminLogin}:${forge.adminToken}`).toString('base64')}`;
    bot = await startBot(dir, env, port);
  });

  afterAll(async () => {
    await stopBot(bot);
    await forge?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('registers a private app with app.yml permissions and events, and writes its credentials to .env', async () => {
    const html = await (await fetch(`${base}/probot`)).text();
    const action = unescapeHtml(/<form action="([^"]*)" method="post">/.exec(html)?.[1] ?? '');
    expect(action.startsWith(`${forge.gitUrl}/settings/apps/new?state=`)).toBe(true);
    const manifest = unescapeHtml(/id="manifest" value="([^"]*)"/.exec(html)?.[1] ?? '');

    // A browser without the forge's sign-in is asked for it.
    const form = new URLSearchParams({ manifest }).toString();
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', origin: base };
    const anonymous = await fetch(action, {
      method: 'POST',
      headers: formHeaders,
      body: form,
      redirect: 'manual',
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic /);

    const created = await fetch(action, {
      method: 'POST',
      headers: { ...formHeaders, authorization: basicAuth },
      body: form,
      redirect: 'manual',
    });
    expect(created.status).toBe(302);
    const callback = new URL(created.headers.get('location') ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(`${base}/probot/setup`);
    expect(callback.searchParams.get('state')).toBe(new URL(action).searchParams.get('state'));
    const code = callback.searchParams.get('code') ?? '';
    expect(code).toMatch(/^\w{20,}$/);

    const done = await fetch(callback);
    const donePage = await done.text();
    expect(done.status, donePage).toBe(200);
    expect(donePage).toContain(`${forge.gitUrl}/apps/affineur/installations/new`);

    const envFile = join(dir, '.env');
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const written = parseEnv(await readFile(envFile, 'utf8'));
    expect(written.APP_ID).toMatch(/^\d+$/);
    expect(written.PRIVATE_KEY).toMatch(
      /^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----\n?$/,
    );
    expect(written.WEBHOOK_SECRET).toMatch(/^[0-9a-f]{40}$/);
    expect(written.GITHUB_CLIENT_SECRET).toMatch(/^[0-9a-f]{40}$/);

    // The code was spent: converting it again is refused.
    const again = await fetch(`${forge.apiUrl}/app-manifests/${code}/conversions`, { method: 'POST' });
    expect(again.status).toBe(404);

    const appYml = parse(await readFile(join(repoRoot, 'app.yml'), 'utf8'));
    const admin = new Octokit({ baseUrl: forge.apiUrl, auth: forge.adminToken });
    const { data: shown } = await admin.request('GET /apps/{app_slug}', { app_slug: 'affineur' });
    if (!shown) throw new Error('GET /apps/affineur answered no app');
    const app = shown;
    expect(app.id).toBe(Number(written.APP_ID));
    expect(app.owner && 'login' in app.owner ? app.owner.login : undefined).toBe(forge.adminLogin);
    expect(app.permissions).toEqual(appYml.default_permissions);
    expect([...app.events].sort()).toEqual([...appYml.default_events].sort());
    expect(app.description).toBe(appYml.description);
    // Private: nobody but its owner (and the app itself) sees it.
    expect((await fetch(`${forge.apiUrl}/apps/affineur`)).status).toBe(404);

    // The key in .env is the app's: the forge accepts the JWTs it signs.
    const jwt = signAppJwt(Number(written.APP_ID), written.PRIVATE_KEY ?? '');
    const { data: self } = await new Octokit({ baseUrl: forge.apiUrl, auth: jwt }).request('GET /app');
    expect(self?.slug).toBe('affineur');
  });

  it('a bot started from that .env receives the forge’s signed webhook when the app is installed', async () => {
    await stopBot(bot);
    bot = await startBot(dir, env, port);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const written = parseEnv(await readFile(join(dir, '.env'), 'utf8'));

    const page = await fetch(`${forge.gitUrl}/apps/affineur/installations/new`, {
      headers: { authorization: basicAuth },
    });
    expect(page.status).toBe(200);
    const installAction = /<form action="([^"]*)" method="post">/.exec(await page.text())?.[1] ?? '';
    // A form posted from another site may not install apps with the user's sign-in.
    const forged = await fetch(new URL(installAction, forge.gitUrl), {
      method: 'POST',
      headers: { authorization: basicAuth, origin: 'http://evil.example' },
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    const installed = await fetch(new URL(installAction, forge.gitUrl), {
      method: 'POST',
      headers: { authorization: basicAuth, origin: forge.gitUrl },
      redirect: 'manual',
    });
    expect(installed.status).toBe(302);
    const setup = new URL(installed.headers.get('location') ?? '');
    expect(`${setup.origin}${setup.pathname}`).toBe(`${base}/probot/success`);
    expect(setup.searchParams.get('setup_action')).toBe('install');
    await forge.idle();

    const jwt = signAppJwt(Number(written.APP_ID), written.PRIVATE_KEY ?? '');
    const asApp = new Octokit({ baseUrl: forge.apiUrl, auth: jwt });
    const { data: deliveries } = await asApp.request('GET /app/hook/deliveries');
    expect(deliveries.map((d) => `${d.event}.${d.action}`)).toEqual(['installation.created']);
    const { data: delivery } = await asApp.request('GET /app/hook/deliveries/{delivery_id}', {
      delivery_id: Number(deliveries[0]?.id ?? 0),
    });
    expect(delivery.url).toBe(`${base}/api/github/webhooks`);
    // The bot checks signatures with WEBHOOK_SECRET: it took the forge's delivery...
    expect(delivery.status_code).toBe(200);
    const body = JSON.stringify(delivery.request.payload);
    expect(delivery.request.headers?.['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', written.WEBHOOK_SECRET ?? '')
        .update(body)
        .digest('hex')}`,
    );
    // ...and refuses the same delivery signed with another secret.
    const tampered = await fetch(`${base}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'installation',
        'x-github-delivery': 'c0ffee00-0000-4000-8000-000000000000',
        'x-hub-signature-256': `sha256=${createHmac('sha256', 'not-the-secret').update(body).digest('hex')}`,
      },
      body,
    });
    expect(tampered.status).toBeGreaterThanOrEqual(400);
    expect(tampered.status).toBeLessThan(500);
  });
});
