/**
 * Traefik's inFlightReq: at most `amount` requests of one source (by default, one Host) are in
 * progress at once; one more gets 429. A request stops counting when its response is done or
 * its client is gone, whichever comes first.
 */
import { z } from 'zod';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Handler } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { sendPlain } from '../plain-response.js';
import { compileSourceCriterion, sourceCriterionSchema } from '../source-criterion/source-criterion.js';

export const inFlightReqOptionsSchema = z.strictObject({
  amount: z.number().int().nonnegative().default(0),
  sourceCriterion: sourceCriterionSchema.optional(),
});

export const inFlightReqMiddleware: MiddlewareFactory = (_context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(inFlightReqOptionsSchema, rawOptions, name, 'inFlightReq');
  const keyPath = `http.middlewares.${name}.inFlightReq`;
  if (options.amount < 1) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', 'inFlightReq needs an amount of at least 1.', {
      keyPath: `${keyPath}.amount`,
      hint: 'Set amount to the number of requests one source may have in progress at once.',
    });
  }
  const amount = options.amount;
  const sourceOf = compileSourceCriterion(options.sourceCriterion, 'requestHost', name, 'inFlightReq');
  // Only sources with requests in progress have an entry, so the map stays as small as the load.
  const inFlight = new Map<string, number>();

  const handler: Handler = (req, res, ctx) => {
    const source = sourceOf(req, ctx);
    const current = inFlight.get(source) ?? 0;
    if (current >= amount) {
      sendPlain(res, 429, 'Too Many Requests');
      return;
    }
    inFlight.set(source, current + 1);
    res.once('close', () => {
      const left = (inFlight.get(source) ?? 1) - 1;
      if (left <= 0) inFlight.delete(source);
      else inFlight.set(source, left);
    });
    next(req, res, ctx);
  };
  return handler;
};
