/**
 * `affineur bot` without credentials: a small server for GitHub's manifest flow.
 *   GET /               → /probot
 *   GET /probot         the page whose form posts the manifest (from the package's app.yml)
 *   GET /probot/setup   GitHub's redirect with a one-time code: exchanged for the app's id, key
 *                       and webhook secret, which go to `.env`; then on to installing the app
 *   GET /healthz        503 `{status: "setup"}`: up, but not serving webhooks yet
 * The paths are Probot's, so guides written for Probot apps still match.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Octokit } from '@octokit/rest';
import type { Logger } from '../../src/log/logger.js';
import { apiBaseUrl } from '../app-settings.js';
import { buildManifest, readAppYml } from './app-manifest.js';
import { writeDotEnv } from './env-file.js';
import { registeredPage, registrationPage } from './registration-page.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface RegistrationOptions {
  env: Env;
  /** Where `.env` is written. */
  dir: string;
  log: Logger;
  port: number;
  host: string | undefined;
  webhookPath: string;
}

export interface RunningRegistration {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRegistrationServer(options: RegistrationOptions): Promise<RunningRegistration> {
  const { env, log } = options;
  const yml = readAppYml();
  // GitHub echoes `state` back on its redirect: only a flow started from this page completes.
  const state = randomBytes(16).toString('hex');
  const server = createServer((req, res) => {
    void handle(req).then(
      ({ status, type = 'text/html; charset=utf-8', body, location }) => {
        res.writeHead(status, { 'content-type': type, ...(location ? { location } : {}) });
        res.end(body);
      },
      (error: unknown) => {
        log.error({ err: error }, 'app registration failed');
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`Registering the app failed: ${(error as Error).message}\nReload /probot to try again.`);
      },
    );
  });

  async function handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: string; type?: string; location?: string }> {
    const url = new URL(req.url ?? '/', 'http://setup.invalid');
    if (req.method !== 'GET') return { status: 405, type: 'text/plain', body: 'Method Not Allowed' };
    if (url.pathname === '/') return { status: 302, location: '/probot', type: 'text/plain', body: '' };
    if (url.pathname === '/healthz') {
      return { status: 503, type: 'application/json', body: JSON.stringify({ status: 'setup' }) };
    }
    if (url.pathname === '/probot') {
      const baseUrl = requestBaseUrl(req);
      const webhookUrl = webhookUrlFor(env, baseUrl, options.webhookPath);
      const manifest = buildManifest(yml, { baseUrl, webhookUrl, name: env.APP_NAME });
      return {
        status: 200,
        body: registrationPage({ manifest, createAppUrl: createAppUrl(env), state, webhookUrl }),
      };
    }
    if (url.pathname === '/probot/setup') {
      const code = url.searchParams.get('code') ?? '';
      const given = Buffer.from(url.searchParams.get('state') ?? '');
      if (
        !/^[\w-]{1,100}$/.test(code) ||
        given.length !== state.length ||
        !timingSafeEqual(given, Buffer.from(state))
      ) {
        return {
          status: 400,
          type: 'text/plain',
          body: 'Missing or wrong code or state: start again from /probot.',
        };
      }
      const baseUrl = apiBaseUrl(env);
      const octokit = new Octokit(baseUrl ? { baseUrl } : {});
      const { data } = await octokit.request('POST /app-manifests/{code}/conversions', { code });
      const envFile = writeDotEnv(options.dir, {
        APP_ID: String(data.id),
        PRIVATE_KEY: data.pem,
        WEBHOOK_SECRET: data.webhook_secret ?? '',
        GITHUB_CLIENT_ID: data.client_id,
        GITHUB_CLIENT_SECRET: data.client_secret,
      });
      log.info(
        { appId: data.id, envFile, install: `${data.html_url}/installations/new` },
        `app "${data.slug ?? data.name}" registered; credentials written to ${envFile}. Next: install it on your repositories (${data.html_url}/installations/new), then restart \`affineur bot\` in ${options.dir}.`,
      );
      return { status: 200, body: registeredPage({ htmlUrl: data.html_url, envFile }) };
    }
    if (url.pathname === '/probot/success') {
      return {
        status: 200,
        type: 'text/plain',
        body: 'Installed. Restart `affineur bot` with the new .env.',
      };
    }
    return { status: 404, type: 'text/plain', body: 'Not Found: the registration page is at /probot.' };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost'}:${port}/probot`;
  log.info(
    { port },
    `no GitHub App configured (APP_ID, PRIVATE_KEY): open ${url} to register one from app.yml.`,
  );
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `PUBLIC_URL` + the webhook path, or a forwarding channel (`WEBHOOK_PROXY_URL`, e.g. smee.io) as is. */
export function webhookUrlFor(env: Env, baseUrl: string, webhookPath: string): string {
  if (env.WEBHOOK_PROXY_URL) return env.WEBHOOK_PROXY_URL;
  return `${(env.PUBLIC_URL || baseUrl).replace(/\/+$/, '')}${webhookPath}`;
}

/** github.com's (or GHE_HOST's) "new app" page, under an organization when GH_ORG is set. */
export function createAppUrl(env: Env): string {
  const host = `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST || 'github.com'}`;
  return `${host}${env.GH_ORG ? `/organizations/${encodeURIComponent(env.GH_ORG)}` : ''}/settings/apps/new`;
}

/** The URL the browser used to reach this page (behind a proxy: its forwarded host and scheme). */
function requestBaseUrl(req: IncomingMessage): string {
  const first = (value: string | string[] | undefined) =>
    (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  const proto = first(req.headers['x-forwarded-proto']) || 'http';
  const host = first(req.headers['x-forwarded-host']) || req.headers.host || 'localhost';
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}
