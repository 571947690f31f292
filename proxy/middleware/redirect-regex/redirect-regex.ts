/** redirectRegex: redirects when `regex` (RE2) matches the request URL, to Go's ReplaceAllString. */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import { compileReplacingRegexp } from '../regexp-replacement/go-regexp-replace.js';
import { redirectHandler } from './redirect.js';

export const redirectRegexSchema = z.strictObject({
  regex: z.string(),
  replacement: z.string(),
  permanent: z.boolean().default(false),
});

export const redirectRegex: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(redirectRegexSchema, config, name, 'redirectRegex');
  const regexp = compileReplacingRegexp(options.regex);
  if ('problem' in regexp) {
    throw invalidOption(name, 'redirectRegex.regex', `${regexp.problem}.`, 'Use Go (RE2) syntax.');
  }
  return redirectHandler(regexp, options.replacement, options.permanent, next);
};
