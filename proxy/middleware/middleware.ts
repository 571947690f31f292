/**
 * The middleware seam. Every middleware has one constructor shape, as in Traefik's
 * `New(ctx, next, config, name)` and undici's interceptors: it receives the handler to call
 * next and returns a handler. The builder wraps each router's service handler in the router's
 * chain, entryPoint middlewares first, so the first middleware listed sees the request first:
 *
 *   handler = ep[0](ep[1](...(router[0](router[1](...(service))))))
 *
 * A factory runs once per configuration build, never per request: it should do its parsing
 * and validation up front and throw an AffineurError for bad options it finds then: the
 * middleware is then disabled with that error, and so are the routers that use it.
 */
import type { Logger } from '../../src/log/logger.js';
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import { guardMiddlewares } from './guard-catalog.js';
import type { Handler } from './handler.js';
import { shapingMiddlewares } from './shaping-catalog.js';

export interface MiddlewareContext {
  logger: Logger;
  /** The router the chain is built for; one middleware instance serves one router. */
  routerName: string;
  /** Fires when the configuration that built this middleware is replaced: stop timers here. */
  signal: AbortSignal;
  /**
   * The handler of a service, for a middleware that sends requests of its own (errors pages).
   * `name` is qualified (`x@provider`): qualify a name taken from the middleware's options with
   * `qualifyReference(reference, middlewareName)`. Throws an AffineurError when the service does
   * not exist or is disabled; the middleware is then disabled with that error.
   */
  service(name: string): Handler;
}

export type MiddlewareFactory<C = unknown> = (
  context: MiddlewareContext,
  next: Handler,
  config: C,
  name: string,
) => Handler;

/**
 * The middleware types affineur can build, by their Traefik config key. A type that is not
 * listed makes the middleware, and the routers that use it, disabled with
 * AFF_ERR_PROXY_MIDDLEWARE_UNSUPPORTED.
 */
export const middlewareFactories: Partial<Record<HttpMiddlewareType, MiddlewareFactory>> = {
  ...shapingMiddlewares,
  ...guardMiddlewares,
};

export const supportedMiddlewareTypes: ReadonlySet<string> = new Set(Object.keys(middlewareFactories));
