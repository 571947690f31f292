/**
 * A GitHub App manifest as GitHub's "new app" page reads it
 * (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest),
 * and the app it creates in the forge's state. Keys GitHub ignores are ignored here too; a key
 * GitHub would refuse is refused with its path.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { createAccount } from '../api/users.js';
import { hashToken, mintToken } from '../auth/tokens.js';
import type { ForgeContext } from '../forge-context.js';
import { ApiError } from '../http/api-error.js';
import type { AccountRecord, AppRecord } from '../state/model.js';
import { accountByLogin } from '../state/queries.js';
import { isoSeconds } from '../state/timestamp.js';

const httpUrl = z.url({ protocol: /^https?$/ });

export const manifestSchema = z.object({
  name: z.string().trim().min(1).max(34),
  url: httpUrl,
  description: z.string().max(10_000).nullish(),
  hook_attributes: z.object({ url: httpUrl, active: z.boolean().optional() }).optional(),
  redirect_url: httpUrl,
  setup_url: httpUrl.nullish(),
  public: z.boolean().optional(),
  default_events: z.array(z.string().regex(/^[a-z_]+$/)).optional(),
  default_permissions: z.record(z.string().regex(/^[a-z_]+$/), z.enum(['read', 'write'])).optional(),
});

export type AppManifest = z.output<typeof manifestSchema>;

/** How long a manifest code can be converted: an hour, as on GitHub. */
const codeLifetimeMs = 3600_000;

/** The `manifest` form field, parsed; a 422 naming the key path and the fix otherwise. */
export function readManifest(field: string | undefined): AppManifest {
  if (!field) {
    throw new ApiError(422, 'The form has no "manifest" field: post the app manifest as JSON in it.');
  }
  let value: unknown;
  try {
    value = JSON.parse(field);
  } catch {
    throw new ApiError(422, 'The "manifest" field is not JSON: post the app manifest as a JSON object.');
  }
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `manifest.${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ApiError(422, `The app manifest is invalid.\n${problems.join('\n')}`);
  }
  return parsed.data;
}

/** GitHub's slug for an app name: lower case, runs of other characters as one dash. */
export function slugFor(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Creates the app `owner` registers from `manifest`. It has no key yet: the one-time code
 * returned here is hashed into the app, and converting it makes the key pair.
 */
export function createAppFromManifest(
  ctx: ForgeContext,
  owner: AccountRecord,
  manifest: AppManifest,
): { app: AppRecord; code: string } {
  const state = ctx.store.state;
  const slug = slugFor(manifest.name);
  if (!slug)
    throw new ApiError(422, `manifest.name "${manifest.name}" has no letter or digit: name the app.`);
  const taken = state.apps.some(
    (a) => a.slug === slug || a.name.toLowerCase() === manifest.name.toLowerCase(),
  );
  if (taken || accountByLogin(state, `${slug}[bot]`)) {
    throw new ApiError(
      422,
      `manifest.name "${manifest.name}" is already in use: app names are unique, pick another.`,
    );
  }
  const code = mintToken('ghp').slice(4);
  const stamp = isoSeconds(ctx.now());
  const hook = manifest.hook_attributes;
  const app: AppRecord = {
    id: ctx.store.nextId(),
    slug,
    name: manifest.name,
    clientId: `Iv1.${randomBytes(8).toString('hex')}`,
    ownerLogin: owner.login,
    publicKeyPem: '',
    webhookSecret: randomBytes(20).toString('hex'),
    webhookUrl: hook && hook.active !== false ? hook.url : null,
    events: [...new Set(manifest.default_events ?? [])],
    permissions: { metadata: 'read', ...manifest.default_permissions },
    createdAt: stamp,
    updatedAt: stamp,
    description: manifest.description ?? null,
    externalUrl: manifest.url,
    public: manifest.public === true,
    setupUrl: manifest.setup_url ?? null,
    manifestCode: {
      hash: hashToken(code),
      expiresAt: isoSeconds(new Date(ctx.now().getTime() + codeLifetimeMs)),
    },
  };
  state.apps.push(app);
  createAccount(ctx, { login: `${slug}[bot]`, type: 'Bot' });
  return { app, code };
}
