/**
 * `affineur bot` without credentials, started as a user would from an empty directory: the
 * page's manifest must carry app.yml's events and permissions, `public: false`, and a webhook
 * URL on the path the bot serves; the description's apostrophe must survive the HTML attribute.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../../../support/services.js';

const repoRoot = resolve(import.meta.dirname, '../../../..');

function unescapeHtml(text: string): string {
  return text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

describe('affineur bot without credentials, from an empty directory', () => {
  let dir: string;
  let child: ChildProcess;
  let base: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'affineur-empty-'));
    const port = await freePort();
    const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), HOST: '127.0.0.1' };
    for (const key of [
      'APP_ID',
      'PRIVATE_KEY',
      'PRIVATE_KEY_PATH',
      'WEBHOOK_SECRET',
      'WEBHOOK_PROXY_URL',
      'PUBLIC_URL',
    ])
      delete env[key];
    child = spawn(process.execPath, [join(repoRoot, 'bin/affineur.js'), 'bot'], {
      cwd: dir,
      env,
      stdio: 'pipe',
    });
    base = `http://127.0.0.1:${port}`;
    for (let attempt = 0; attempt < 300; attempt++) {
      if (child.exitCode !== null) throw new Error(`affineur bot exited with ${child.exitCode}`);
      if (
        await fetch(`${base}/healthz`).then(
          () => true,
          () => false,
        )
      )
        return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the registration page never answered');
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves a manifest with app.yml events and permissions, private, webhooks on the bot path', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/probot');

    const page = await fetch(`${base}/probot`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const value = /name="manifest" id="manifest" value="([^"]*)"/.exec(html)?.[1];
    expect(value).toBeDefined();
    const manifest = JSON.parse(unescapeHtml(value!));
    const appYml = parse(await readFile(join(repoRoot, 'app.yml'), 'utf8'));

    expect(manifest.default_events).toEqual(appYml.default_events);
    expect(manifest.default_permissions).toEqual(appYml.default_permissions);
    expect(manifest.default_events.length).toBeGreaterThan(5);
    expect(manifest.default_permissions.contents).toBe('write');
    expect(manifest.public).toBe(false);
    expect(manifest.description).toBe(appYml.description);
    expect(manifest.description).toContain("'");
    expect(manifest.hook_attributes.url).toBe(`${base}/api/github/webhooks`);
    expect(manifest.redirect_url).toBe(`${base}/probot/setup`);
    // The form posts to GitHub's new-app page with a state only this server knows.
    expect(html).toMatch(/action="https:\/\/github\.com\/settings\/apps\/new\?state=[0-9a-f]{32}"/);
  });

  it('refuses a setup callback without the state of its page, and reports setup on /healthz', async () => {
    const callback = await fetch(`${base}/probot/setup?code=abc&state=forged`);
    expect(callback.status).toBe(400);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'setup' });
  });

  it('builds the webhook URL from the forwarded scheme and host behind a proxy', async () => {
    const page = await fetch(`${base}/probot`, {
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bot.example.org' },
    });
    const html = await page.text();
    const manifest = JSON.parse(unescapeHtml(/id="manifest" value="([^"]*)"/.exec(html)![1]!));
    expect(manifest.hook_attributes.url).toBe('https://bot.example.org/api/github/webhooks');
  });
});
