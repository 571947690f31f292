import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newRequestContext } from '../../../../../proxy/middleware/handler.js';
import { readMiddlewareOptions } from '../../../../../proxy/middleware/options/read-middleware-options.js';
import { rateLimitOptionsSchema } from '../../../../../proxy/middleware/rate-limit/rate-limit-middleware.js';
import {
  compileSourceCriterion,
  type SourceCriterionConfig,
} from '../../../../../proxy/middleware/source-criterion/source-criterion.js';

const xff = '10.0.0.1,11.0.0.1,12.0.0.1,13.0.0.1';

function sourceFor(
  config: SourceCriterionConfig | undefined,
  headers: Record<string, string>,
  options: { trusted?: boolean; peer?: string; fallback?: 'clientIp' | 'requestHost' } = {},
) {
  const source = compileSourceCriterion(config, options.fallback ?? 'clientIp', 'x@file', 'rateLimit');
  const req = { headers } as unknown as IncomingMessage;
  const ctx = newRequestContext('web', options.peer ?? '192.0.2.9', options.trusted ?? true, '/', '');
  return source(req, ctx);
}

describe('sourceCriterion (the tables of the Traefik documentation)', () => {
  it('ipStrategy.depth picks from the right of X-Forwarded-For; too deep is empty', () => {
    const at = (depth: number) => sourceFor({ ipStrategy: { depth } }, { 'x-forwarded-for': xff });
    expect(at(1)).toBe('13.0.0.1');
    expect(at(2)).toBe('12.0.0.1');
    expect(at(3)).toBe('11.0.0.1');
    expect(at(5)).toBe('');
  });

  it('ipStrategy.excludedIPs picks the right-most address not excluded', () => {
    const pick = (excludedIPs: string[], header = xff) =>
      sourceFor({ ipStrategy: { excludedIPs } }, { 'x-forwarded-for': header });
    expect(pick(['12.0.0.1', '13.0.0.1'])).toBe('11.0.0.1');
    expect(pick(['15.0.0.1', '13.0.0.1'])).toBe('12.0.0.1');
    expect(pick(['10.0.0.1', '13.0.0.1'])).toBe('12.0.0.1');
    expect(pick(['15.0.0.1', '16.0.0.1'])).toBe('13.0.0.1');
    expect(pick(['10.0.0.1', '11.0.0.1'], '10.0.0.1,11.0.0.1')).toBe('');
    expect(pick(['12.0.0.0/8', '13.0.0.1'])).toBe('11.0.0.1');
  });

  it('ignores X-Forwarded-For from a peer the entryPoint does not trust', () => {
    const config = { ipStrategy: { depth: 1 } };
    expect(sourceFor(config, { 'x-forwarded-for': xff }, { trusted: false })).toBe('');
    expect(sourceFor(undefined, { 'x-forwarded-for': xff }, { trusted: false })).toBe('192.0.2.9');
  });

  it('ipv6Subnet groups IPv6 peers by subnet, leaves IPv4 alone, and does not apply to excludedIPs', () => {
    const config = { ipStrategy: { ipv6Subnet: 64 } };
    expect(sourceFor(config, {}, { peer: '2001:db8:1:2:aaaa::1' })).toBe('2001:db8:1:2::');
    expect(sourceFor(config, {}, { peer: '2001:db8:1:2:bbbb::9' })).toBe('2001:db8:1:2::');
    expect(sourceFor(config, {}, { peer: '203.0.113.5' })).toBe('203.0.113.5');
    const excluded = { ipStrategy: { excludedIPs: ['10.0.0.0/8'], ipv6Subnet: 64 } };
    expect(sourceFor(excluded, { 'x-forwarded-for': '2001:db8::7, 10.0.0.1' })).toBe('2001:db8::7');
  });

  it('refuses ipv6Subnet outside 1-128, naming the middleware', () => {
    expect(() =>
      readMiddlewareOptions(
        rateLimitOptionsSchema,
        { average: 1, sourceCriterion: { ipStrategy: { ipv6Subnet: 0 } } },
        'x@file',
        'rateLimit',
      ),
    ).toThrow(
      /rateLimit\.sourceCriterion\.ipStrategy\.ipv6Subnet \(from middleware "x@file"\).*between 1 and 128/,
    );
  });

  it('requestHeaderName and requestHost; the default is the peer (rateLimit) or the Host (inFlightReq)', () => {
    expect(sourceFor({ requestHeaderName: 'X-Api-Key' }, { 'x-api-key': 'k1' })).toBe('k1');
    expect(sourceFor({ requestHost: true }, { host: 'a.example' })).toBe('a.example');
    expect(sourceFor(undefined, { host: 'a.example' }, { fallback: 'requestHost' })).toBe('a.example');
  });

  it('refuses two criteria at once, and a bad excluded range, naming the middleware', () => {
    expect(() =>
      compileSourceCriterion(
        { requestHost: true, requestHeaderName: 'X' },
        'clientIp',
        'x@file',
        'rateLimit',
      ),
    ).toThrow(/rateLimit\.sourceCriterion \(from middleware "x@file"\).*requestHeaderName and requestHost/);
    expect(() =>
      compileSourceCriterion({ ipStrategy: { excludedIPs: ['nope'] } }, 'clientIp', 'x@file', 'inFlightReq'),
    ).toThrow(/inFlightReq\.sourceCriterion\.ipStrategy\.excludedIPs\[0\] \(from middleware "x@file"\)/);
  });
});
