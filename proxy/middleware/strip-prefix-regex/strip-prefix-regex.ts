/**
 * stripPrefixRegex: the first regexp (RE2) whose match starts the path has that match removed
 * and sent in X-Forwarded-Prefix.
 */
import { RE2JS } from 're2js';
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import { addForwardedHeader } from '../request-headers/edit-request-headers.js';
import { withLeadingSlash } from '../strip-prefix/strip-prefix.js';

export const stripPrefixRegexSchema = z.strictObject({
  regex: z.array(z.string()).default([]),
});

export const stripPrefixRegex: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(stripPrefixRegexSchema, config, name, 'stripPrefixRegex');
  const expressions = options.regex.map((pattern, i) => {
    try {
      return RE2JS.compile(pattern);
    } catch (error) {
      throw invalidOption(
        name,
        `stripPrefixRegex.regex[${i}]`,
        `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}.`,
        'Use Go (RE2) syntax, such as "/foo/[a-z0-9]+/".',
      );
    }
  });
  return (req, res, ctx) => {
    for (const expression of expressions) {
      const matcher = expression.matcher(ctx.path);
      if (!matcher.find()) continue;
      const prefix = matcher.group() ?? '';
      if (prefix === '' || matcher.start() !== 0) continue;
      ctx.path = withLeadingSlash(ctx.path.slice(prefix.length));
      addForwardedHeader(req, ctx, 'X-Forwarded-Prefix', prefix);
      break;
    }
    next(req, res, ctx);
  };
};
