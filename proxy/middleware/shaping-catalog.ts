/**
 * Middlewares that rewrite, redirect, filter or decorate requests and responses: path
 * rewriting, headers, redirects, IP allow lists, content type, gRPC-Web, compression, errors,
 * buffering. Registered by their Traefik config key.
 */
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import type { MiddlewareFactory } from './middleware.js';

export const shapingMiddlewares: Partial<Record<HttpMiddlewareType, MiddlewareFactory>> = {};
