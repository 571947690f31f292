/**
 * One sandbox forge for a group of tests: the forge, a webhook receiver, OpenAPI-validating
 * Octokit clients, and users with tokens. `useForge()` registers the start and stop hooks in the
 * calling `describe` and returns an accessor for the running harness.
 */
import { createSign } from 'node:crypto';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll } from 'vitest';
import { type ForgeOptions, type RunningForge, startForge } from '../../src/forge/start-forge.js';
import { type ValidatedClients, validatedClients } from './forge-octokit.js';
import { createOpenApiValidator, type OpenApiValidator } from './forge-openapi.js';
import { startWebhookReceiver, type WebhookReceiver } from './forge-webhook-receiver.js';

export interface ForgeHarness {
  forge: RunningForge;
  hooks: WebhookReceiver;
  clients: ValidatedClients;
  admin: Octokit;
  tokens: Record<string, string>;
  /** An Octokit client authenticated as a user created by the harness. */
  as(login: string): Octokit;
  /** A fresh JWT for the forge's app. */
  appJwt(): string;
  /** A fresh installation token for the forge's app. */
  installationToken(): Promise<string>;
}

let sharedValidator: OpenApiValidator | undefined;
/** Compiling GitHub's description takes a moment; every harness of a process shares one. */
export function openApiValidator(): OpenApiValidator {
  sharedValidator ??= createOpenApiValidator();
  return sharedValidator;
}

export function signAppJwt(appId: number, privateKey: string): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode({ iat: now - 30, exp: now + 540, iss: appId })}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(privateKey).toString('base64url');
  return `${unsigned}.${signature}`;
}

export async function startHarness(users: string[], options: ForgeOptions = {}): Promise<ForgeHarness> {
  const forge = await startForge({ webhookRetryDelaysMs: [50, 100], ...options });
  const hooks = await startWebhookReceiver();
  await forge.setWebhookUrl(hooks.url);
  const clients = validatedClients(forge.apiUrl, openApiValidator());
  const admin = clients.client(forge.adminToken);
  const tokens: Record<string, string> = { admin: forge.adminToken };
  for (const login of users) {
    await admin.request('POST /admin/users', { login, email: `${login}@example.test` });
    const { data } = await admin.request('POST /admin/users/{username}/authorizations', {
      username: login,
      scopes: ['repo'],
    });
    tokens[login] = data.token;
  }
  const appJwt = () => signAppJwt(forge.app.id, forge.app.privateKey);
  return {
    forge,
    hooks,
    clients,
    admin,
    tokens,
    as(login) {
      const token = tokens[login];
      if (!token) throw new Error(`the harness has no user ${login}`);
      return clients.client(token);
    },
    appJwt,
    async installationToken() {
      const { data } = await clients
        .client(appJwt())
        .rest.apps.createInstallationAccessToken({ installation_id: forge.app.installationId });
      return data.token;
    },
  };
}

export function useForge(users: string[] = [], options: ForgeOptions = {}): () => ForgeHarness {
  let harness: ForgeHarness | undefined;
  beforeAll(async () => {
    harness = await startHarness(users, options);
  });
  afterAll(async () => {
    await harness?.forge.close();
    await harness?.hooks.close();
  });
  return () => {
    if (!harness) throw new Error('the forge harness is not started (use it inside a test)');
    return harness;
  };
}

/** The HTTP status a call ends with (200 for success), for asserting refusals. */
export async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    const code = (error as { status?: number }).status;
    if (code === undefined) throw error;
    return code;
  }
}
