/**
 * stripPrefix: removes the first listed prefix the path starts with (a plain string prefix,
 * as Traefik: `/api` also strips from `/apiv2`) and tells the service in X-Forwarded-Prefix.
 * `forceSlash` is deprecated in Traefik v3; it is accepted, warned about, and the result
 * always starts with `/` (what forceSlash guaranteed).
 */
import { z } from 'zod';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { addForwardedHeader } from '../request-headers/edit-request-headers.js';

export const stripPrefixSchema = z.strictObject({
  prefixes: z.array(z.string()).default([]),
  forceSlash: z.boolean().optional(),
});

export function withLeadingSlash(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

export const stripPrefix: MiddlewareFactory = (context, next, config, name) => {
  const options = readMiddlewareOptions(stripPrefixSchema, config, name, 'stripPrefix');
  if (options.forceSlash !== undefined) {
    context.logger.warn(
      { middleware: name },
      'stripPrefix.forceSlash is deprecated (Traefik v3) and has no effect; remove it',
    );
  }
  const prefixes = options.prefixes.map((p) => p.trim()).filter((p) => p !== '');
  return (req, res, ctx) => {
    for (const prefix of prefixes) {
      if (!ctx.path.startsWith(prefix)) continue;
      ctx.path = withLeadingSlash(ctx.path.slice(prefix.length));
      addForwardedHeader(req, ctx, 'X-Forwarded-Prefix', prefix);
      break;
    }
    next(req, res, ctx);
  };
};
