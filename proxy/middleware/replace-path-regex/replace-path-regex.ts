/**
 * replacePathRegex: when `regex` (RE2) matches the path, the path becomes Go's
 * `ReplaceAllString(path, replacement)` and the original goes in X-Replaced-Path.
 */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import { compileReplacingRegexp } from '../regexp-replacement/go-regexp-replace.js';
import { addRequestHeader } from '../request-headers/edit-request-headers.js';

export const replacePathRegexSchema = z.strictObject({
  regex: z.string(),
  replacement: z.string().default(''),
});

export const replacePathRegex: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(replacePathRegexSchema, config, name, 'replacePathRegex');
  const regexp = compileReplacingRegexp(options.regex);
  if ('problem' in regexp) {
    throw invalidOption(name, 'replacePathRegex.regex', `${regexp.problem}.`, 'Use Go (RE2) syntax.');
  }
  const replacement = options.replacement;
  return (req, res, ctx) => {
    if (regexp.test(ctx.path)) {
      addRequestHeader(req, 'X-Replaced-Path', ctx.path);
      ctx.path = regexp.replaceAll(ctx.path, replacement);
    }
    next(req, res, ctx);
  };
};
