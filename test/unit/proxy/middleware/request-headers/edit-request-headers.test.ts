import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { newRequestContext } from '../../../../../proxy/middleware/handler.js';
import {
  addForwardedHeader,
  addRequestHeader,
  removeRequestHeader,
  setRequestHeader,
} from '../../../../../proxy/middleware/request-headers/edit-request-headers.js';

/** A request as Node's parser leaves it: both header views filled from the raw list. */
function request(raw: string[]): IncomingMessage {
  const req = new IncomingMessage(new Socket());
  req.rawHeaders = raw;
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase();
    const existing = req.headers[lower];
    req.headers[lower] = existing === undefined ? raw[i + 1] : `${existing}, ${raw[i + 1]}`;
  }
  return req;
}

describe('edit-request-headers keeps rawHeaders (what goes upstream) and headers in step', () => {
  it('set replaces every value, whatever the spelling, with one value or a list', () => {
    const req = request(['Host', 'a', 'X-User', 'old', 'x-user', 'older']);
    setRequestHeader(req, 'X-User', 'alice');
    expect(req.rawHeaders).toEqual(['Host', 'a', 'X-User', 'alice']);
    expect(req.headers['x-user']).toBe('alice');
    setRequestHeader(req, 'X-Role', ['admin', 'ops']);
    expect(req.rawHeaders).toEqual(['Host', 'a', 'X-User', 'alice', 'X-Role', 'admin', 'X-Role', 'ops']);
    expect(req.headers['x-role']).toBe('admin, ops');
    setRequestHeader(req, 'x-role', []);
    expect(req.headers['x-role']).toBeUndefined();
    expect(req.rawHeaders).toEqual(['Host', 'a', 'X-User', 'alice']);
    setRequestHeader(req, 'X-New', 'fresh');
    expect(req.rawHeaders).toEqual(['Host', 'a', 'X-User', 'alice', 'X-New', 'fresh']);
    expect(req.headers['x-new']).toBe('fresh');
  });

  it('add keeps existing values; remove drops every spelling', () => {
    const req = request(['Host', 'a', 'Authorization', 'Basic x']);
    addRequestHeader(req, 'X-Replaced-Path', '/a');
    addRequestHeader(req, 'X-Replaced-Path', '/b');
    expect(req.headers['x-replaced-path']).toBe('/a, /b');
    removeRequestHeader(req, 'AUTHORIZATION');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.rawHeaders).toEqual(['Host', 'a', 'X-Replaced-Path', '/a', 'X-Replaced-Path', '/b']);
  });

  it("a proxy-set X-Forwarded-* header replaces an untrusted client's, and is marked as the proxy's", () => {
    const untrusted = request(['X-Forwarded-Prefix', '/forged']);
    const untrustedContext = newRequestContext('web', '203.0.113.9', false, '/', '');
    addForwardedHeader(untrusted, untrustedContext, 'X-Forwarded-Prefix', '/api');
    expect(untrusted.rawHeaders).toEqual(['X-Forwarded-Prefix', '/api']);
    expect(untrustedContext.forwardedByProxy).toEqual(['x-forwarded-prefix']);

    const trusted = request(['X-Forwarded-Prefix', '/edge']);
    addForwardedHeader(
      trusted,
      newRequestContext('web', '10.0.0.1', true, '/', ''),
      'X-Forwarded-Prefix',
      '/api',
    );
    expect(trusted.headers['x-forwarded-prefix']).toBe('/edge, /api');
  });
});
