/**
 * Middlewares that decide whether and how often a request reaches the service: authentication,
 * rate and concurrency limits, circuit breaking, retries, and local plugins. Registered by
 * their Traefik config key.
 */
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import type { MiddlewareFactory } from './middleware.js';

export const guardMiddlewares: Partial<Record<HttpMiddlewareType, MiddlewareFactory>> = {};
