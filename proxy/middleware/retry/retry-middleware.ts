/**
 * Traefik's retry: when the service did not answer at all (the connection failed, was reset, or
 * timed out before a response head), the request is sent again, up to `attempts` tries in all,
 * after an exponential backoff from `initialInterval`. Once the service answers, whatever the
 * status, there is no retry. Only requests that can be replayed safely are retried (idempotent
 * method, no streamed body). The number of retries is recorded for the access log.
 *
 * How a failure is seen: the forwarding step answers 502/504 itself and leaves
 * `ctx.originStatus` at 0 when no response head came back. For an attempt that may still be
 * retried, that answer is held back (writeHead and end are intercepted for this response only)
 * and the next attempt runs instead.
 */
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { durationSchema } from '../../../src/config/duration.js';
import type { Handler } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { isReplayable, retryDelays } from './retry-backoff.js';

export const retryOptionsSchema = z.strictObject({
  attempts: z.number().int().min(1, { message: 'attempts must be at least 1' }),
  initialInterval: durationSchema.default(0),
});

const gatewayFailures = new Set([502, 504]);

export const retryMiddleware: MiddlewareFactory = (_context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(retryOptionsSchema, rawOptions, name, 'retry');
  const delayOf = retryDelays(options.attempts, options.initialInterval);

  const handler: Handler = (req, res, ctx) => {
    const replayable = isReplayable({
      method: req.method,
      headers: req.headers,
      bufferedBody: Buffer.isBuffer(ctx.body),
      upgrade: ctx.upgradeHead !== undefined,
    });
    const attempt = (number: number) => {
      ctx.originStatus = 0;
      if (number >= options.attempts || !replayable) {
        next(req, res, ctx);
        return;
      }
      holdBackGatewayFailure(
        res,
        () => ctx.originStatus === 0,
        () => {
          ctx.retryAttempts = number;
          const wait = delayOf(number);
          if (wait <= 0) {
            attempt(number + 1);
            return;
          }
          const timer = setTimeout(() => {
            res.off('close', cancel);
            attempt(number + 1);
          }, wait);
          const cancel = () => clearTimeout(timer);
          res.once('close', cancel);
        },
      );
      next(req, res, ctx);
    };
    attempt(1);
  };
  return handler;
};

/**
 * Intercepts this response's head: a 502/504 written while `noAnswer()` holds is swallowed
 * (with its body) and `retry` runs; anything else restores the response and goes through.
 */
function holdBackGatewayFailure(res: ServerResponse, noAnswer: () => boolean, retry: () => void): void {
  const writeHead = res.writeHead;
  const end = res.end;
  let held = false;
  const restore = () => {
    res.writeHead = writeHead;
    res.end = end;
  };
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (!held && !res.headersSent && gatewayFailures.has(status) && noAnswer()) {
      held = true;
      return res;
    }
    restore();
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse['writeHead'];
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    restore();
    if (held) {
      retry();
      return res;
    }
    return (end as (...args: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
}
