import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newRequestContext } from '../../../../../proxy/middleware/handler.js';
import { goDurationText } from '../../../../../proxy/middleware/rate-limit/go-duration-text.js';
import {
  compileSourceCriterion,
  maskIpv6,
  type SourceCriterionConfig,
} from '../../../../../proxy/middleware/rate-limit/source-criterion.js';

const xff = '10.0.0.1,11.0.0.1,12.0.0.1,13.0.0.1';

function sourceFor(
  config: SourceCriterionConfig | undefined,
  headers: Record<string, string>,
  options: { trusted?: boolean; peer?: string; fallback?: 'clientIp' | 'requestHost' } = {},
) {
  const source = compileSourceCriterion(
    config,
    options.fallback ?? 'clientIp',
    'http.middlewares.x.rateLimit',
  );
  const req = { headers } as unknown as IncomingMessage;
  const ctx = newRequestContext('web', options.peer ?? '192.0.2.9', options.trusted ?? true, '/', '');
  return source(req, ctx);
}

describe('sourceCriterion (the tables of the Traefik documentation)', () => {
  it('ipStrategy.depth picks from the right of X-Forwarded-For; too deep is empty', () => {
    const at = (depth: number) =>
      sourceFor({ ipStrategy: { depth, excludedIPs: [] } }, { 'x-forwarded-for': xff });
    expect(at(1)).toBe('13.0.0.1');
    expect(at(2)).toBe('12.0.0.1');
    expect(at(3)).toBe('11.0.0.1');
    expect(at(5)).toBe('');
  });

  it('ipStrategy.excludedIPs picks the right-most address not excluded', () => {
    const pick = (excludedIPs: string[], header = xff) =>
      sourceFor({ ipStrategy: { depth: 0, excludedIPs } }, { 'x-forwarded-for': header });
    expect(pick(['12.0.0.1', '13.0.0.1'])).toBe('11.0.0.1');
    expect(pick(['15.0.0.1', '13.0.0.1'])).toBe('12.0.0.1');
    expect(pick(['10.0.0.1', '13.0.0.1'])).toBe('12.0.0.1');
    expect(pick(['15.0.0.1', '16.0.0.1'])).toBe('13.0.0.1');
    expect(pick(['10.0.0.1', '11.0.0.1'], '10.0.0.1,11.0.0.1')).toBe('');
    expect(pick(['12.0.0.0/8', '13.0.0.1'])).toBe('11.0.0.1');
  });

  it('ignores X-Forwarded-For from a peer the entryPoint does not trust', () => {
    const config = { ipStrategy: { depth: 1, excludedIPs: [] } };
    expect(sourceFor(config, { 'x-forwarded-for': xff }, { trusted: false })).toBe('');
    expect(sourceFor(undefined, { 'x-forwarded-for': xff }, { trusted: false })).toBe('192.0.2.9');
  });

  it('ipv6Subnet groups IPv6 peers by subnet and leaves IPv4 alone', () => {
    expect(maskIpv6('::abcd:1111:2222:3333', 64)).toBe('0:0:0:0:0:0:0:0');
    expect(maskIpv6('::abcd:1111:2222:3333', 80)).toBe('0:0:0:0:abcd:0:0:0');
    expect(maskIpv6('::abcd:1111:2222:3333', 96)).toBe('0:0:0:0:abcd:1111:0:0');
    const config = { ipStrategy: { depth: 0, excludedIPs: [], ipv6Subnet: 64 } };
    expect(sourceFor(config, {}, { peer: '2001:db8:1:2:aaaa::1' })).toBe(
      sourceFor(config, {}, { peer: '2001:db8:1:2:bbbb::9' }),
    );
    expect(sourceFor(config, {}, { peer: '203.0.113.5' })).toBe('203.0.113.5');
  });

  it('requestHeaderName and requestHost; the default is the peer (rateLimit) or the Host (inFlightReq)', () => {
    expect(sourceFor({ requestHeaderName: 'X-Api-Key' }, { 'x-api-key': 'k1' })).toBe('k1');
    expect(sourceFor({ requestHost: true }, { host: 'a.example' })).toBe('a.example');
    expect(sourceFor(undefined, { host: 'a.example' }, { fallback: 'requestHost' })).toBe('a.example');
  });

  it('refuses two criteria at once', () => {
    expect(() =>
      compileSourceCriterion(
        { requestHost: true, requestHeaderName: 'X' },
        'clientIp',
        'http.middlewares.x.rateLimit',
      ),
    ).toThrow(/requestHeaderName and requestHost/);
  });
});

describe('Go duration text (X-Retry-In)', () => {
  it('writes durations as Go does', () => {
    expect(goDurationText(1500)).toBe('1.5s');
    expect(goDurationText(250)).toBe('250ms');
    expect(goDurationText(60_500)).toBe('1m0.5s');
    expect(goDurationText(3_600_000)).toBe('1h0m0s');
    expect(goDurationText(0.0015)).toBe('1.5µs');
    expect(goDurationText(0)).toBe('0s');
  });
});
