import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newRequestContext } from '../../../../../proxy/middleware/handler.js';
import {
  createClientIpResolver,
  forwardedAtDepth,
  forwardedOutside,
  ipInRanges,
  ipv6Network,
  parseIpRanges,
} from '../../../../../proxy/middleware/ip-strategy/ip-strategy.js';

function request(xff: string | undefined, peer = '10.0.0.9', trusted = true) {
  const req = { headers: xff === undefined ? {} : { 'x-forwarded-for': xff } } as IncomingMessage;
  return { req, ctx: newRequestContext('web', peer, trusted, '/', '') };
}

describe('ipStrategy', () => {
  it('depth counts from the right of X-Forwarded-For (Traefik doc table)', () => {
    const header = '10.0.0.1,11.0.0.1,12.0.0.1,13.0.0.1';
    expect(forwardedAtDepth(header, 1)).toBe('13.0.0.1');
    expect(forwardedAtDepth(header, 3)).toBe('11.0.0.1');
    expect(forwardedAtDepth(header, 5)).toBe('');
    expect(forwardedAtDepth('', 1)).toBe('');
  });

  it('excludedIPs takes the right-most address outside the ranges (Traefik doc table)', () => {
    const header = '10.0.0.1,11.0.0.1,12.0.0.1,13.0.0.1';
    expect(forwardedOutside(header, parseIpRanges(['12.0.0.1', '13.0.0.1']))).toBe('11.0.0.1');
    expect(forwardedOutside(header, parseIpRanges(['15.0.0.1', '13.0.0.1']))).toBe('12.0.0.1');
    expect(
      forwardedOutside(header, parseIpRanges(['10.0.0.0/8', '11.0.0.0/8', '12.0.0.0/8', '13.0.0.0/8'])),
    ).toBe('');
  });

  it('without a strategy the TCP peer is the client, whatever X-Forwarded-For says', () => {
    const resolve = createClientIpResolver(undefined);
    const { req, ctx } = request('1.2.3.4');
    expect(resolve(req, ctx)).toBe('10.0.0.9');
  });

  it('depth wins over excludedIPs, and X-Forwarded-For from an untrusted peer is ignored', () => {
    const resolve = createClientIpResolver({ depth: 2, excludedIPs: ['1.1.1.1'] });
    const trusted = request('1.1.1.1, 2.2.2.2');
    expect(resolve(trusted.req, trusted.ctx)).toBe('1.1.1.1');
    const untrusted = request('1.1.1.1, 2.2.2.2', '10.0.0.9', false);
    expect(resolve(untrusted.req, untrusted.ctx)).toBe('');
  });

  it('ipv6Subnet reduces IPv6 clients to their network and leaves IPv4 alone', () => {
    expect(ipv6Network('2001:db8:1:2:3:4:5:6', 64)).toBe('2001:db8:1:2::');
    expect(ipv6Network('2001:db8::1', 128)).toBe('2001:db8::1');
    expect(ipv6Network('1.2.3.4', 64)).toBe('1.2.3.4');
    const resolve = createClientIpResolver({ ipv6Subnet: 48 });
    const { req, ctx } = request(undefined, '2001:db8:aa:bb::1');
    expect(resolve(req, ctx)).toBe('2001:db8:aa::');
  });

  it('matches IPv4 and IPv6 ranges and refuses a bad entry', () => {
    const ranges = parseIpRanges(['192.168.1.7/24', '2001:db8::/32']);
    expect(ipInRanges('192.168.1.200', ranges)).toBe(true);
    expect(ipInRanges('192.168.2.1', ranges)).toBe(false);
    expect(ipInRanges('2001:db8::42', ranges)).toBe(true);
    expect(ipInRanges('', ranges)).toBe(false);
    expect(() => parseIpRanges(['10.0.0.0/33'], 'sourceRange')).toThrow(
      /sourceRange\[0\].*"10.0.0.0\/33" is not an IP address/,
    );
  });
});
