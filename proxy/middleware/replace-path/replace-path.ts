/** replacePath: forwards `path` instead of the request's path, which goes in X-Replaced-Path. */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { addRequestHeader } from '../request-headers/edit-request-headers.js';

export const replacePathSchema = z.strictObject({
  path: z.string(),
});

export const replacePath: MiddlewareFactory = (_context, next, config, name) => {
  const { path } = readMiddlewareOptions(replacePathSchema, config, name, 'replacePath');
  return (req, res, ctx) => {
    addRequestHeader(req, 'X-Replaced-Path', ctx.path);
    ctx.path = path;
    next(req, res, ctx);
  };
};
