import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { buildManifest, readAppYml } from '../../../../bot/registration/app-manifest.js';
import { withDotEnv, writeDotEnv } from '../../../../bot/registration/env-file.js';
import { escapeHtml } from '../../../../bot/registration/registration-page.js';
import { createAppUrl, webhookUrlFor } from '../../../../bot/registration/registration-server.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-env-'));
  dirs.push(dir);
  return dir;
};

it('writes the credentials to .env (0600), keeping other lines, and reads them back under the real env', () => {
  const dir = tempDir();
  writeFileSync(join(dir, '.env'), '# mine\nLOG_LEVEL=debug\nAPP_ID=1\n', { mode: 0o644 });
  const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIBx+y/z=\n-----END RSA PRIVATE KEY-----\n';
  const path = writeDotEnv(dir, { APP_ID: '42', PRIVATE_KEY: pem, WEBHOOK_SECRET: 's3"cret' });
  expect(statSync(path).mode & 0o777).toBe(0o600);
  const text = readFileSync(path, 'utf8');
  expect(text.startsWith('# mine\nLOG_LEVEL=debug\n')).toBe(true);
  expect(text.match(/^APP_ID=/gm)).toHaveLength(1);
  const env = withDotEnv({ LOG_LEVEL: 'warn' }, dir);
  expect(env).toMatchObject({ APP_ID: '42', PRIVATE_KEY: pem, WEBHOOK_SECRET: 's3"cret', LOG_LEVEL: 'warn' });
  expect(withDotEnv({ A: '1' }, tempDir())).toEqual({ A: '1' });
});

it('builds a private manifest from app.yml, whatever app.yml says about `public` unless it is true', () => {
  const yml = readAppYml();
  const manifest = buildManifest(
    { ...yml, public: undefined },
    { baseUrl: 'http://h:1', webhookUrl: 'http://h:1/hook' },
  );
  expect(manifest).toMatchObject({
    public: false,
    hook_attributes: { url: 'http://h:1/hook' },
    redirect_url: 'http://h:1/probot/setup',
  });
  expect(buildManifest({ ...yml, public: true }, { baseUrl: 'x', webhookUrl: 'y' }).public).toBe(true);
});

it('escapes every character that could end an HTML attribute, and builds URLs from the env', () => {
  expect(escapeHtml(`Traefik's "app" <b>&`)).toBe('Traefik&#39;s &quot;app&quot; &lt;b&gt;&amp;');
  expect(webhookUrlFor({ PUBLIC_URL: 'https://bot.example.org/' }, 'http://localhost:3000', '/hooks')).toBe(
    'https://bot.example.org/hooks',
  );
  expect(webhookUrlFor({ WEBHOOK_PROXY_URL: 'https://smee.io/abc' }, 'http://x', '/hooks')).toBe(
    'https://smee.io/abc',
  );
  expect(createAppUrl({ GHE_HOST: 'ghe.corp', GH_ORG: 'acme' })).toBe(
    'https://ghe.corp/organizations/acme/settings/apps/new',
  );
});
