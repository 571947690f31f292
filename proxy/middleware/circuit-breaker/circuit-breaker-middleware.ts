/**
 * Traefik's circuitBreaker: watches what happens after it in the chain (status codes, network
 * errors, latency) and, while its expression holds, answers `responseCode` (503) itself instead
 * of calling the service; then it recovers gradually. Each router gets its own breaker, as in
 * Traefik: one can be open while another, on the same middleware, is closed.
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import { durationSchema } from '../../../src/config/duration.js';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Handler } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { readMiddlewareOptions } from '../options/read-middleware-options.js';
import { sendPlain } from '../plain-response.js';
import { compileBreakerExpression } from './breaker-expression.js';
import { RollingMetrics } from './breaker-metrics.js';
import { BreakerState } from './breaker-state.js';

export const circuitBreakerOptionsSchema = z.strictObject({
  expression: z
    .string()
    .min(1, { message: 'a circuit breaker needs an expression, such as NetworkErrorRatio() > 0.5' }),
  checkPeriod: durationSchema.default(100),
  fallbackDuration: durationSchema.default(10_000),
  recoveryDuration: durationSchema.default(10_000),
  responseCode: z.number().int().min(100).max(599).default(503),
});

export const circuitBreakerMiddleware: MiddlewareFactory = (_context, next, rawOptions, name) => {
  const options = readMiddlewareOptions(circuitBreakerOptionsSchema, rawOptions, name, 'circuitBreaker');
  let predicate: ReturnType<typeof compileBreakerExpression>;
  try {
    predicate = compileBreakerExpression(options.expression);
  } catch (error) {
    if (!(error instanceof AffineurError)) throw error;
    throw new AffineurError(error.code, error.message.replace(/^AFF_ERR_[A-Z_]+: /, ''), {
      keyPath: `http.middlewares.${name}.circuitBreaker.expression`,
    });
  }
  const metrics = new RollingMetrics();
  const breaker = new BreakerState(predicate, metrics, {
    checkPeriodMs: Math.max(1, options.checkPeriod),
    fallbackDurationMs: options.fallbackDuration,
    recoveryDurationMs: Math.max(1, options.recoveryDuration),
  });
  const fallbackBody = STATUS_CODES[options.responseCode] ?? 'Service Unavailable';

  const handler: Handler = (req, res, ctx) => {
    if (!breaker.admit()) {
      sendPlain(res, options.responseCode, fallbackBody);
      return;
    }
    const start = performance.now();
    res.once('close', () => {
      // A client that left before any answer says nothing about the service.
      if (!res.headersSent) return;
      const latency = performance.now() - start;
      // No response head from the server and a gateway error: the network failed, not the app.
      if (ctx.originStatus === 0 && (res.statusCode === 502 || res.statusCode === 504)) {
        metrics.record({ networkError: true }, latency);
      } else {
        metrics.record({ statusCode: res.statusCode }, latency);
      }
    });
    next(req, res, ctx);
  };
  return handler;
};
