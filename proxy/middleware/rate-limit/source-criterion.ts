/**
 * Traefik's `sourceCriterion`, shared by rateLimit and inFlightReq: which requests count as
 * coming from the same source. One of
 * - `ipStrategy`: the client IP — the TCP peer, or an entry of X-Forwarded-For picked by
 *   `depth` (from the right) or as the right-most one not in `excludedIPs`; IPv6 addresses can be
 *   grouped by `ipv6Subnet`;
 * - `requestHeaderName`: the value of a request header;
 * - `requestHost`: the Host header.
 *
 * X-Forwarded-For is only read when the entryPoint trusts the peer (forwardedHeaders), exactly
 * as if an untrusted client's header had been stripped at the door, as Traefik does: otherwise
 * any client could pick its own bucket and walk around the limit.
 */
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { type Ip128, type IpRange, parseIp, parseIpRange, rangeContains } from '../../rules/ip-range.js';
import type { RequestContext } from '../handler.js';

export const ipStrategySchema = z.strictObject({
  depth: z.number().int().nonnegative().default(0),
  excludedIPs: z.array(z.string()).default([]),
  ipv6Subnet: z
    .number()
    .int()
    .min(1, { message: 'ipv6Subnet must be between 1 and 128' })
    .max(128, { message: 'ipv6Subnet must be between 1 and 128' })
    .optional(),
});

export const sourceCriterionSchema = z.strictObject({
  ipStrategy: ipStrategySchema.optional(),
  requestHeaderName: z.string().optional(),
  requestHost: z.boolean().optional(),
});

export type SourceCriterionConfig = z.output<typeof sourceCriterionSchema>;
export type SourceOf = (req: IncomingMessage, ctx: RequestContext) => string;

/** The default when no criterion is set: the client IP for rateLimit, the Host for inFlightReq. */
export type DefaultCriterion = 'clientIp' | 'requestHost';

export function compileSourceCriterion(
  config: SourceCriterionConfig | undefined,
  fallback: DefaultCriterion,
  keyPath: string,
): SourceOf {
  const chosen = [
    config?.ipStrategy !== undefined && 'ipStrategy',
    config?.requestHeaderName !== undefined && config.requestHeaderName !== '' && 'requestHeaderName',
    config?.requestHost === true && 'requestHost',
  ].filter((x): x is string => typeof x === 'string');
  if (chosen.length > 1) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', `sourceCriterion sets ${chosen.join(' and ')}.`, {
      keyPath: `${keyPath}.sourceCriterion`,
      hint: 'Choose one of ipStrategy, requestHeaderName and requestHost.',
    });
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
  return clientIpOf(
    config?.ipStrategy ?? ipStrategySchema.parse({}),
    `${keyPath}.sourceCriterion.ipStrategy`,
  );
}

function clientIpOf(strategy: z.output<typeof ipStrategySchema>, keyPath: string): SourceOf {
  const subnet =
    strategy.ipv6Subnet === undefined
      ? (ip: string) => ip
      : (ip: string) => maskIpv6(ip, strategy.ipv6Subnet as number);
  if (strategy.depth > 0) {
    const depth = strategy.depth;
    return (req, ctx) => {
      const list = forwardedFor(req, ctx);
      return subnet(list.length >= depth ? (list[list.length - depth] as string) : '');
    };
  }
  if (strategy.excludedIPs.length > 0) {
    const excluded = strategy.excludedIPs.map((text, i): IpRange => {
      const range = parseIpRange(text) ?? ipAsRange(text);
      if (!range) {
        throw new AffineurError('AFF_ERR_CONFIG_INVALID', `"${text}" is not an IP address or CIDR range.`, {
          keyPath: `${keyPath}.excludedIPs[${i}]`,
          hint: 'Write addresses like "10.0.0.1" or ranges like "10.0.0.0/8".',
        });
      }
      return range;
    });
    // Traefik's excludedIPs strategy does not apply ipv6Subnet (it applies to depth and the peer only).
    return (req, ctx) => {
      const list = forwardedFor(req, ctx);
      for (let i = list.length - 1; i >= 0; i--) {
        const entry = list[i] as string;
        const address = parseIp(entry);
        if (!address || !excluded.some((range) => rangeContains(range, address))) return entry;
      }
      return '';
    };
  }
  return (_req, ctx) => subnet(ctx.clientAddress);
}

function ipAsRange(text: string): IpRange | undefined {
  const words = parseIp(text);
  return words ? { words, prefix: 128 } : undefined;
}

function forwardedFor(req: IncomingMessage, ctx: RequestContext): string[] {
  if (!ctx.trustForwarded) return [];
  const header = req.headers['x-forwarded-for'];
  if (header === undefined) return [];
  return (Array.isArray(header) ? header.join(',') : header)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** The first address of the /bits IPv6 subnet an address is in; IPv4 addresses are left alone. */
export function maskIpv6(ip: string, bits: number): string {
  if (!ip.includes(':')) return ip;
  const words = parseIp(ip);
  if (!words) return ip;
  const masked = words.map((word, i) => {
    const keep = Math.max(0, Math.min(32, bits - i * 32));
    return keep === 0 ? 0 : keep === 32 ? word : (word & (0xffffffff << (32 - keep))) >>> 0;
  }) as unknown as Ip128;
  const groups: string[] = [];
  for (const word of masked) groups.push((word >>> 16).toString(16), (word & 0xffff).toString(16));
  return groups.join(':');
}
