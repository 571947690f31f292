/**
 * Traefik's `sourceCriterion`, shared by rateLimit and inFlightReq: which requests count as
 * coming from the same source. One of
 * - `ipStrategy`: the client IP, as the shared ipStrategy module picks it (the TCP peer, or an
 *   X-Forwarded-For entry from a trusted peer);
 * - `requestHeaderName`: the value of a request header;
 * - `requestHost`: the Host header.
 * Without one, rateLimit uses the client IP and inFlightReq the Host.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { RequestContext } from '../handler.js';
import { createClientIpResolver, ipStrategySchema } from '../ip-strategy/ip-strategy.js';
import { invalidOption } from '../options/read-middleware-options.js';

export const sourceCriterionSchema = z.strictObject({
  ipStrategy: ipStrategySchema.optional(),
  requestHeaderName: z.string().optional(),
  requestHost: z.boolean().optional(),
});

export type SourceCriterionConfig = z.input<typeof sourceCriterionSchema>;
export type SourceOf = (req: IncomingMessage, ctx: RequestContext) => string;

/** The default when no criterion is set: the client IP for rateLimit, the Host for inFlightReq. */
export type DefaultCriterion = 'clientIp' | 'requestHost';

/**
 * Builds the source function once per configuration. `name` and `type` are the middleware's,
 * for error key paths such as `rateLimit.sourceCriterion (from middleware "x")`.
 */
export function compileSourceCriterion(
  config: SourceCriterionConfig | undefined,
  fallback: DefaultCriterion,
  name: string,
  type: string,
): SourceOf {
  const chosen = [
    config?.ipStrategy !== undefined && 'ipStrategy',
    config?.requestHeaderName !== undefined && config.requestHeaderName !== '' && 'requestHeaderName',
    config?.requestHost === true && 'requestHost',
  ].filter((x): x is string => typeof x === 'string');
  if (chosen.length > 1) {
    throw invalidOption(
      name,
      `${type}.sourceCriterion`,
      `sourceCriterion sets ${chosen.join(' and ')}.`,
      'Choose one of ipStrategy, requestHeaderName and requestHost.',
    );
  }
  const header = config?.requestHeaderName?.toLowerCase();
  if (header) {
    return (req) => {
      const value = req.headers[header];
      return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
    };
  }
  if (config?.requestHost === true || (chosen.length === 0 && fallback === 'requestHost')) {
    return (req) => req.headers.host ?? '';
  }
  return createClientIpResolver(
    config?.ipStrategy,
    `${type}.sourceCriterion.ipStrategy (from middleware "${name}")`,
  );
}
