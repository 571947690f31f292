/**
 * Octokit clients for forge tests. Every JSON response (success or error) is checked against
 * GitHub's OpenAPI description, and every operation checked is recorded in
 * `validatedOperations`, so the forge suite can assert that each forge route was validated at
 * least once (see test/integration/forge/forge.test.ts).
 */
import { Octokit } from '@octokit/rest';
import type { OpenApiValidator } from './forge-openapi.js';

/** `METHOD /template` pairs whose responses were validated, across every client of this process. */
export const validatedOperations = new Set<string>();

export interface ValidatedClients {
  client(auth?: string): Octokit;
  /** `METHOD /template` pairs whose responses these clients validated. */
  seen: Set<string>;
  /** Validates a response obtained without Octokit (raw `fetch`), and records it. */
  check(method: string, template: string, status: number, body: unknown): void;
}

export function validatedClients(baseUrl: string, validator: OpenApiValidator): ValidatedClients {
  const seen = new Set<string>();
  const check = (method: string, url: string, status: number, data: unknown) => {
    if (status >= 400) validator.checkError(method, url, status, data);
    else validator.check(method, url, status, data);
    seen.add(`${method} ${url}`);
    validatedOperations.add(`${method} ${url}`);
  };
  return {
    seen,
    check,
    client(auth) {
      const octokit = new Octokit({ baseUrl, ...(auth ? { auth } : {}), request: { retries: 0 } });
      octokit.hook.after('request', (response, options) => {
        const route = options as { method: string; url: string };
        const type = String(response.headers['content-type'] ?? '');
        // Raw media types (file bytes) are not JSON; GitHub's description only covers the JSON form.
        if (response.data !== '' && response.data !== undefined && !type.includes('json')) return;
        check(route.method, route.url, response.status, response.data === '' ? undefined : response.data);
      });
      octokit.hook.error('request', (error, options) => {
        const failure = error as { status?: number; response?: { data?: unknown } };
        const route = options as { method: string; url: string };
        if (
          failure.status &&
          failure.status >= 400 &&
          failure.status < 500 &&
          validator.documents(route.method, route.url)
        ) {
          check(route.method, route.url, failure.status, failure.response?.data);
        }
        throw error;
      });
      return octokit;
    },
  };
}
