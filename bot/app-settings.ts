/**
 * The bot's process settings, from the environment (Probot's variable names, so existing
 * deployments and docs carry over). Without APP_ID and a private key, the bot runs Probot's
 * manifest setup flow instead of serving webhooks.
 */
import { readFileSync } from 'node:fs';
import { AffineurError } from '../src/errors/affineur-error.js';

export interface AppSettings {
  appId: number;
  privateKey: string;
  webhookSecret: string;
  /** The REST API base URL: GitHub.com's by default, GHE's or the sandbox forge's otherwise. */
  baseUrl: string | undefined;
  host: string | undefined;
  port: number;
  webhookPath: string;
  redisUrl: string | undefined;
  globalDryRun: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Resolves to 'setup' when no app is configured at all; throws when it is half configured. */
export function readAppSettings(env: Env): AppSettings | 'setup' {
  const privateKey = env.PRIVATE_KEY ?? readKeyFile(env.PRIVATE_KEY_PATH);
  if (!env.APP_ID && !privateKey) return 'setup';
  const missing = [
    !env.APP_ID && 'APP_ID',
    !privateKey && 'PRIVATE_KEY (or PRIVATE_KEY_PATH)',
    !env.WEBHOOK_SECRET && 'WEBHOOK_SECRET',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new AffineurError('AFF_ERR_BOT_APP_SETTINGS', `missing ${missing.join(', ')}.`, {
      hint: 'Set them from the GitHub App settings page, or unset APP_ID and the key to run the setup flow.',
    });
  }
  const appId = Number(env.APP_ID);
  if (!Number.isInteger(appId) || appId <= 0) {
    throw new AffineurError(
      'AFF_ERR_BOT_APP_SETTINGS',
      `APP_ID must be a positive integer, got "${env.APP_ID}".`,
      {
        hint: 'Copy the App ID from the GitHub App settings page.',
      },
    );
  }
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AffineurError('AFF_ERR_BOT_APP_SETTINGS', `PORT must be a port number, got "${env.PORT}".`, {
      hint: 'Use a number from 0 to 65535.',
    });
  }
  return {
    appId,
    privateKey: normalizeKey(privateKey!),
    webhookSecret: env.WEBHOOK_SECRET!,
    baseUrl: apiBaseUrl(env),
    host: env.HOST,
    port,
    webhookPath: env.WEBHOOK_PATH ?? '/api/github/webhooks',
    redisUrl: env.REDIS_URL,
    globalDryRun: globalDryRunFrom(env),
  };
}

/** `AFFINEUR_DRY_RUN=true` (or `1`): log every action instead of doing it, on every repository. */
export const globalDryRunFrom = (env: Env) => env.AFFINEUR_DRY_RUN === 'true' || env.AFFINEUR_DRY_RUN === '1';

/**
 * `GITHUB_API_URL` (the full REST base, as GitHub Actions names it; what the sandbox forge
 * prints) wins; else Probot's `GHE_HOST`/`GHE_PROTOCOL`, which mean `<protocol>://<host>/api/v3`.
 */
export function apiBaseUrl(env: Env): string | undefined {
  if (env.GITHUB_API_URL) return env.GITHUB_API_URL.replace(/\/+$/, '');
  if (env.GHE_HOST) return `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3`;
  return undefined;
}

function readKeyFile(path: string | undefined): string | undefined {
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AffineurError('AFF_ERR_BOT_APP_SETTINGS', `PRIVATE_KEY_PATH "${path}" cannot be read.`, {
      cause,
      hint: 'Point it at the .pem file downloaded from the GitHub App settings page.',
    });
  }
}

/** Keys pasted into one-line env vars often carry literal `\n`s, or are base64-encoded. */
function normalizeKey(key: string): string {
  if (key.includes('-----BEGIN')) return key.replace(/\\n/g, '\n');
  const decoded = Buffer.from(key, 'base64').toString('utf8');
  if (decoded.includes('-----BEGIN')) return decoded;
  throw new AffineurError('AFF_ERR_BOT_APP_SETTINGS', 'PRIVATE_KEY is not a PEM private key.', {
    hint: 'Paste the whole .pem content (or its base64), or use PRIVATE_KEY_PATH.',
  });
}
