/**
 * ipAllowList: only clients whose IP (per ipStrategy) is in `sourceRange` reach the service;
 * the others get `rejectStatusCode` (403 by default) with its status text. `ipWhiteList` is
 * the deprecated name of the same middleware.
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import {
  createClientIpResolver,
  ipInRanges,
  ipStrategySchema,
  parseIpRanges,
} from '../ip-strategy/ip-strategy.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';

export const ipAllowListSchema = z.strictObject({
  sourceRange: z.array(z.string()).min(1, { message: 'sourceRange needs at least one IP or CIDR range' }),
  rejectStatusCode: z.number().int().min(100).max(599).default(403),
  ipStrategy: ipStrategySchema.optional(),
});

function allowList(type: 'ipAllowList' | 'ipWhiteList'): MiddlewareFactory {
  return (_context, next, config, name) => {
    const options = readMiddlewareOptions(ipAllowListSchema, config, name, type);
    const where = (key: string) => `${type}.${key} (from middleware "${name}")`;
    const ranges = parseIpRanges(options.sourceRange, where('sourceRange'));
    const clientIp = createClientIpResolver(options.ipStrategy, where('ipStrategy'));
    const status = options.rejectStatusCode;
    const body = STATUS_CODES[status] ?? '';
    const headers = {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    };
    return (req, res, ctx) => {
      if (ipInRanges(clientIp(req, ctx), ranges)) {
        next(req, res, ctx);
        return;
      }
      res.writeHead(status, headers);
      res.end(body);
    };
  };
}

export const ipAllowList = allowList('ipAllowList');

let warned = false;
const ipWhiteListFactory = allowList('ipWhiteList');

/** Deprecated in Traefik v3; behaves as ipAllowList and says so once. */
export const ipWhiteList: MiddlewareFactory = (context, next, config, name) => {
  if (!warned) {
    warned = true;
    context.logger.warn({ middleware: name }, 'the ipWhiteList middleware is deprecated; use ipAllowList');
  }
  return ipWhiteListFactory(context, next, config, name);
};
