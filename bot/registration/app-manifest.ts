/**
 * The GitHub App manifest the registration page posts to GitHub, built from the package's own
 * `app.yml` (found next to this module, never in the working directory), so `affineur bot` run
 * from anywhere registers the same events and permissions. Probot's builder read `./app.yml`
 * and fell back to `public: true` with no permissions; this one does neither.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { AffineurError } from '../../src/errors/affineur-error.js';

export const appYmlPath = fileURLToPath(new URL('../../app.yml', import.meta.url));

export interface AppYml {
  name: string;
  description?: string;
  url: string;
  public?: boolean;
  default_events: string[];
  default_permissions: Record<string, 'read' | 'write'>;
  [key: string]: unknown;
}

export function readAppYml(path = appYmlPath): AppYml {
  let value: unknown;
  try {
    value = parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new AffineurError('AFF_ERR_BOT_APP_SETTINGS', `${path} cannot be read as YAML.`, {
      cause,
      hint: 'Restore app.yml from the affineur package; it is the manifest the app is registered from.',
    });
  }
  const yml = value as Partial<AppYml> | null;
  if (!yml?.name || !Array.isArray(yml.default_events) || typeof yml.default_permissions !== 'object') {
    throw new AffineurError(
      'AFF_ERR_BOT_APP_SETTINGS',
      `${path} lacks name, default_events or default_permissions.`,
      { hint: 'Restore app.yml from the affineur package.' },
    );
  }
  return yml as AppYml;
}

export interface ManifestOptions {
  /** Where this setup page is reached, e.g. `http://localhost:3000`: GitHub redirects back here. */
  baseUrl: string;
  /** The public URL GitHub sends webhooks to: `PUBLIC_URL` + the webhook path, or a proxy URL. */
  webhookUrl: string;
  /** An app name to register instead of app.yml's (GitHub app names are unique). */
  name?: string | undefined;
}

/** https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest */
export function buildManifest(yml: AppYml, options: ManifestOptions): Record<string, unknown> {
  return {
    ...yml,
    name: options.name || yml.name,
    url: yml.url,
    // Private unless app.yml says otherwise: a public app can be installed by anyone.
    public: yml.public === true,
    hook_attributes: { url: options.webhookUrl, active: true },
    redirect_url: `${options.baseUrl}/probot/setup`,
    setup_url: `${options.baseUrl}/probot/success`,
    setup_on_update: false,
    default_events: yml.default_events,
    default_permissions: yml.default_permissions,
  };
}
