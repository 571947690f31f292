/**
 * Middlewares that decide whether and how often a request reaches the service: authentication,
 * rate and concurrency limits, circuit breaking, retries, and local plugins. Registered by
 * their Traefik config key.
 */
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import { pluginMiddleware } from '../plugin/plugin-middleware.js';
import { basicAuthMiddleware } from './basic-auth/basic-auth-middleware.js';
import { circuitBreakerMiddleware } from './circuit-breaker/circuit-breaker-middleware.js';
import { digestAuthMiddleware } from './digest-auth/digest-auth-middleware.js';
import { forwardAuthMiddleware } from './forward-auth/forward-auth-middleware.js';
import { inFlightReqMiddleware } from './in-flight-req/in-flight-req-middleware.js';
import type { MiddlewareFactory } from './middleware.js';
import { rateLimitMiddleware } from './rate-limit/rate-limit-middleware.js';
import { retryMiddleware } from './retry/retry-middleware.js';

export const guardMiddlewares: Partial<Record<HttpMiddlewareType, MiddlewareFactory>> = {
  basicAuth: basicAuthMiddleware,
  circuitBreaker: circuitBreakerMiddleware,
  digestAuth: digestAuthMiddleware,
  forwardAuth: forwardAuthMiddleware,
  inFlightReq: inFlightReqMiddleware,
  // With no plugin loaded; the running proxy swaps in the plugins of its install configuration.
  plugin: pluginMiddleware(new Map()),
  rateLimit: rateLimitMiddleware,
  retry: retryMiddleware,
};
