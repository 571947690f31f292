/**
 * redirectScheme: sends the client to the same URL with `scheme` (and `port`, left out when it
 * is the scheme's default). A request already on that scheme and port goes on, so there is
 * no redirect loop.
 */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { redirectHandler } from '../redirect-regex/redirect.js';
import { compileReplacingRegexp, type GoRegexp } from '../regexp-replacement/go-regexp-replace.js';

export const redirectSchemeSchema = z.strictObject({
  scheme: z.string().min(1, { message: 'redirectScheme needs a scheme, such as "https"' }),
  port: z.union([z.string(), z.number().int().min(1).max(65535).transform(String)]).default(''),
  permanent: z.boolean().default(false),
});

/** scheme, host (a name or a bracketed IPv6), port, then the rest of the URL. */
const urlParts = compileReplacingRegexp('^(https?://)?(\\[[\\w:.]+\\]|[\\w._-]+)?(:\\d+)?(.*)$') as GoRegexp;

export const redirectScheme: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(redirectSchemeSchema, config, name, 'redirectScheme');
  const defaultPort =
    (options.scheme === 'http' && options.port === '80') ||
    (options.scheme === 'https' && options.port === '443');
  const port = options.port === '' || defaultPort ? '' : `:${options.port}`;
  return redirectHandler(urlParts, `${options.scheme}://\${2}${port}\${4}`, options.permanent, next);
};
