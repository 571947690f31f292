/** addPrefix: puts `prefix` in front of the path the service forwards. */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { withLeadingSlash } from '../strip-prefix/strip-prefix.js';

export const addPrefixSchema = z.strictObject({
  prefix: z.string().min(1, { message: 'addPrefix needs a prefix, such as "/api"' }),
});

export const addPrefix: MiddlewareFactory = (_context, next, config, name) => {
  const { prefix } = readMiddlewareOptions(addPrefixSchema, config, name, 'addPrefix');
  return (req, res, ctx) => {
    ctx.path = withLeadingSlash(prefix + ctx.path);
    next(req, res, ctx);
  };
};
