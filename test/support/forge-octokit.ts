/**
 * Octokit clients for forge tests. Every response (success or error) is checked against
 * GitHub's OpenAPI description, and the routes seen are recorded so a suite can assert that
 * every forge route was validated at least once.
 */
import { Octokit } from '@octokit/rest';
import type { OpenApiValidator } from './forge-openapi.js';

export interface ValidatedClients {
  client(auth?: string): Octokit;
  /** `METHOD /template` pairs whose responses were validated. */
  seen: Set<string>;
}

export function validatedClients(baseUrl: string, validator: OpenApiValidator): ValidatedClients {
  const seen = new Set<string>();
  const check = (options: { method: string; url: string }, status: number, data: unknown) => {
    validator.check(options.method, options.url, status, data);
    seen.add(`${options.method} ${options.url}`);
  };
  return {
    seen,
    client(auth) {
      const octokit = new Octokit({ baseUrl, ...(auth ? { auth } : {}), request: { retries: 0 } });
      octokit.hook.after('request', (response, options) => {
        check(
          options as { method: string; url: string },
          response.status,
          response.data === '' ? undefined : response.data,
        );
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
          validator.checkError(route.method, route.url, failure.status, failure.response?.data);
        }
        throw error;
      });
      return octokit;
    },
  };
}
