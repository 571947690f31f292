/**
 * Traefik's rateLimit: a token bucket per source, refilled at `average` per `period`, holding
 * up to `burst`. A request over the rate waits when a token comes soon enough (the longest
 * worthwhile wait is derived from the rate, as in Traefik), otherwise it gets 429 with
 * `Retry-After` (seconds) and `X-Retry-In` (a Go duration). With `redis`, the buckets live in
 * Redis and every proxy instance pointing at it shares the same limit.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { durationSchema } from '../../../src/config/duration.js';
import { clientTlsSchema } from '../client-tls/client-tls.js';
import type { Handler, RequestContext } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { sendPlain } from '../plain-response.js';
import { compileSourceCriterion, sourceCriterionSchema } from '../source-criterion/source-criterion.js';
import { goDurationText } from './go-duration-text.js';
import { type BucketStore, MemoryBucketStore } from './memory-bucket-store.js';
import { planRateLimit } from './rate-limit-plan.js';
import { RedisBucketStore } from './redis-bucket-store.js';
import { acquireRedis } from './redis-connections.js';
import type { Reservation } from './token-bucket.js';

const redisSchema = z.strictObject({
  endpoints: z.array(z.string().min(1)).min(1).default(['localhost:6379']),
  username: z.string().optional(),
  password: z.string().optional(),
  db: z.number().int().nonnegative().default(0),
  tls: clientTlsSchema.optional(),
  // ioredis multiplexes commands over one connection per endpoint, so there is no pool to size;
  // the keys are accepted so that Traefik configurations load unchanged.
  poolSize: z.number().int().nonnegative().default(0),
  minIdleConns: z.number().int().nonnegative().default(0),
  maxActiveConns: z.number().int().nonnegative().default(0),
  readTimeout: durationSchema.default(3000),
  writeTimeout: durationSchema.default(3000),
  dialTimeout: durationSchema.default(5000),
  denyOnError: z.boolean().default(true),
});

export const rateLimitOptionsSchema = z.strictObject({
  average: z.number().int().nonnegative().default(0),
  period: durationSchema.default(1000).pipe(z.number().nonnegative({ message: 'period cannot be negative' })),
  burst: z.number().int().nonnegative().default(1),
  sourceCriterion: sourceCriterionSchema.optional(),
  redis: redisSchema.optional(),
});

export const rateLimitMiddleware: MiddlewareFactory = (context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(rateLimitOptionsSchema, rawOptions, name, 'rateLimit');
  const keyPath = `http.middlewares.${name}.rateLimit`;
  // As in Traefik: no period means a second, and a bucket holds at least one token.
  const plan = planRateLimit(options.average, options.period || 1000, Math.max(1, options.burst));
  const sourceOf = compileSourceCriterion(options.sourceCriterion, 'clientIp', name, 'rateLimit');
  let store: BucketStore;
  const redis = options.redis;
  if (redis) {
    const connection = acquireRedis(
      {
        endpoints: redis.endpoints,
        username: redis.username,
        password: redis.password,
        db: redis.db,
        readTimeout: redis.readTimeout,
        writeTimeout: redis.writeTimeout,
        dialTimeout: redis.dialTimeout,
        tls: redis.tls,
      },
      `${keyPath}.redis`,
    );
    context.signal.addEventListener('abort', () => connection.release(), { once: true });
    // Keyed by middleware name, so every router and every instance using it shares the buckets.
    store = new RedisBucketStore(connection.client, plan, `affineur:rateLimit:${name}:`);
    connection.client.on('error', (error: Error) =>
      context.logger.warn({ err: error, middleware: name }, 'rateLimit lost its Redis connection'),
    );
  } else {
    // `average: 0` is no limit at all: nothing to count, so the chain skips this middleware.
    if (plan.ratePerMs === Number.POSITIVE_INFINITY) return next;
    store = new MemoryBucketStore(plan);
  }
  const denyOnError = redis?.denyOnError ?? true;

  // The hot path: an in-memory store answers synchronously (no promise, no extra tick per
  // request); only the Redis store goes through a promise.
  const proceed = (
    reservation: Reservation,
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
  ) => {
    if (res.destroyed) return;
    if (!reservation.allowed) {
      sendPlain(res, 429, 'Too Many Requests', {
        'retry-after': String(Math.ceil(reservation.retryAfterMs / 1000)),
        'x-retry-in': goDurationText(reservation.retryAfterMs),
      });
      return;
    }
    if (reservation.delayMs <= 0) {
      next(req, res, ctx);
      return;
    }
    const timer = setTimeout(() => {
      res.off('close', cancel);
      next(req, res, ctx);
    }, reservation.delayMs);
    const cancel = () => clearTimeout(timer);
    res.once('close', cancel);
  };
  const storeFailed = (error: unknown, req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => {
    context.logger.error({ err: error, middleware: name }, 'rateLimit could not reach its store');
    if (res.destroyed) return;
    if (denyOnError) sendPlain(res, 500, 'Internal Server Error');
    else next(req, res, ctx);
  };

  const handler: Handler = (req, res, ctx) => {
    const reservation = store.reserve(sourceOf(req, ctx));
    if (!(reservation instanceof Promise)) {
      proceed(reservation, req, res, ctx);
      return;
    }
    reservation.then(
      (r) => proceed(r, req, res, ctx),
      (error: unknown) => storeFailed(error, req, res, ctx),
    );
  };
  return handler;
};
