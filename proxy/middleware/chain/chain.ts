/**
 * chain: a named list of middlewares. The builder puts the members in place of the chain
 * (proxy/builder/middleware-list.ts, which also refuses loops), so at request time a chain
 * costs nothing; this factory only checks its options.
 */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';

export const chainSchema = z.strictObject({
  middlewares: z.array(z.string().min(1)).default([]),
});

export const chain: MiddlewareFactory = (_context, next, config, name) => {
  readMiddlewareOptions(chainSchema, config, name, 'chain');
  return next;
};
