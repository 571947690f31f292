/**
 * The runtime model for a middleware that cannot be built (Traefik's: every object has its own
 * status and errors): the middleware is disabled with the error that says what is wrong, and
 * each router using it is disabled with AFF_ERR_PROXY_DISABLED_REFERENCE naming the middleware.
 */
import { expect } from 'vitest';
import type { RuntimeConfig } from '../../../../proxy/runtime/runtime-config.js';
import type { AffineurError } from '../../../../src/errors/affineur-error.js';

/** Checks both halves of that model and returns the middleware's own first error. */
export function expectDisabledByMiddleware(
  runtime: RuntimeConfig<unknown> | undefined,
  routerName: string,
  middlewareName: string,
): AffineurError {
  const router = runtime?.routers.get(routerName);
  expect(router?.status).toBe('disabled');
  expect(router?.errors[0]?.code).toBe('AFF_ERR_PROXY_DISABLED_REFERENCE');
  expect(router?.errors[0]?.message).toContain(`middleware "${middlewareName}" is disabled`);
  const middleware = runtime?.middlewares.get(middlewareName);
  expect(middleware?.status).toBe('disabled');
  const own = middleware?.errors[0];
  if (!own) throw new Error(`middleware "${middlewareName}" is disabled without an error of its own`);
  return own;
}
