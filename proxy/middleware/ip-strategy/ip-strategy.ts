/**
 * Which IP a middleware treats as "the client" (Traefik's `ipStrategy`), shared by ipAllowList,
 * rateLimit and inFlightReq (`sourceCriterion.ipStrategy`):
 *
 * - no strategy: the TCP peer;
 * - `depth: n`: the n-th address from the right of X-Forwarded-For (none when the header is
 *   shorter, which matches no range);
 * - `excludedIPs`: the right-most X-Forwarded-For address outside those ranges (ignored when
 *   `depth` is set);
 * - `ipv6Subnet: n` (1-128): an IPv6 peer or `depth` result is reduced to its /n network, so
 *   one client cannot dodge a limit by rotating addresses in its own prefix. As in Traefik, it
 *   does not apply to `excludedIPs`, whose result is an address the operator did not exclude.
 *
 * X-Forwarded-For is only read when the entryPoint trusts the peer for forwarded headers
 * (`forwardedHeaders.trustedIPs` or `insecure`); otherwise the header is the client's own
 * claim and is ignored, as Traefik drops it at the entryPoint.
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

export type IpStrategyConfig = z.input<typeof ipStrategySchema>;

/** Returns the client IP for a request, or '' when the strategy finds none. */
export type ClientIpResolver = (req: IncomingMessage, ctx: RequestContext) => string;

/**
 * Parses IPs and CIDR ranges; a bad entry is an AffineurError at `keyPath` (which should name
 * the middleware, as `ipAllowList.sourceRange (from middleware "x")`).
 */
export function parseIpRanges(entries: readonly string[], keyPath = 'ipStrategy.excludedIPs'): IpRange[] {
  return entries.map((entry, i) => {
    const range = parseIpRange(entry.trim());
    if (!range) {
      throw new AffineurError('AFF_ERR_CONFIG_INVALID', `"${entry}" is not an IP address or CIDR range.`, {
        keyPath: keyPath.replace(/^([^ ]+)/, `$1[${i}]`),
        hint: 'Write addresses like "10.0.0.1" or ranges like "10.0.0.0/8" and "2001:db8::/32".',
      });
    }
    return range;
  });
}

export function ipInRanges(ip: string, ranges: readonly IpRange[]): boolean {
  const words = parseIp(ip);
  if (!words) return false;
  for (const range of ranges) if (rangeContains(range, words)) return true;
  return false;
}

/** Builds the resolver once per configuration; the per-request work is a header split at most. */
export function createClientIpResolver(
  config: IpStrategyConfig | undefined,
  keyPath = 'ipStrategy',
): ClientIpResolver {
  const strategy = ipStrategySchema.parse(config ?? {});
  const subnet = strategy.ipv6Subnet;
  const reduce = subnet === undefined ? (ip: string) => ip : (ip: string) => ipv6Network(ip, subnet);
  if (strategy.depth > 0) {
    const depth = strategy.depth;
    return (req, ctx) => reduce(forwardedAtDepth(forwardedFor(req, ctx), depth));
  }
  if (strategy.excludedIPs.length > 0) {
    const excluded = parseIpRanges(strategy.excludedIPs, keyPath.replace(/^([^ ]+)/, '$1.excludedIPs'));
    return (req, ctx) => forwardedOutside(forwardedFor(req, ctx), excluded);
  }
  return subnet === undefined ? (_req, ctx) => ctx.clientAddress : (_req, ctx) => reduce(ctx.clientAddress);
}

function forwardedFor(req: IncomingMessage, ctx: RequestContext): string {
  if (!ctx.trustForwarded) return '';
  const value = req.headers['x-forwarded-for'];
  if (value === undefined) return '';
  return typeof value === 'string' ? value : value.join(',');
}

/** The `depth`-th address from the right of an X-Forwarded-For value, or ''. */
export function forwardedAtDepth(header: string, depth: number): string {
  if (header === '') return '';
  const parts = header.split(',');
  if (parts.length < depth) return '';
  return (parts[parts.length - depth] as string).trim();
}

/** The right-most X-Forwarded-For address outside the excluded ranges, or ''. */
export function forwardedOutside(header: string, excluded: readonly IpRange[]): string {
  if (header === '') return '';
  const parts = header.split(',');
  for (let i = parts.length - 1; i >= 0; i--) {
    const ip = (parts[i] as string).trim();
    if (ip !== '' && !ipInRanges(ip, excluded)) return ip;
  }
  return '';
}

/** The /bits network of an IPv6 address, in canonical text; IPv4 and non-IPs are unchanged. */
export function ipv6Network(ip: string, bits: number): string {
  if (!ip.includes(':')) return ip;
  const words = parseIp(ip);
  if (!words) return ip;
  const masked = words.map((word, i) => {
    const keep = Math.min(32, Math.max(0, bits - 32 * i));
    return keep === 0 ? 0 : (word & ((0xffffffff << (32 - keep)) >>> 0)) >>> 0;
  }) as unknown as Ip128;
  return formatIpv6(masked);
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of zero groups as `::`. */
export function formatIpv6(words: Ip128): string {
  const groups: number[] = [];
  for (const word of words) groups.push(Math.floor(word / 0x10000), word % 0x10000);
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
