import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DigestNonces,
  digestChallenge,
  parseDigestAuthorization,
  parseHtdigest,
  verifyDigest,
} from '../../../../../proxy/middleware/digest-auth/digest-credentials.js';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

// The users of Traefik's digestAuth documentation: test:test and test2:test2, realm "traefik".
const users = parseHtdigest(
  ['test:traefik:a2688e031edb4be6a3797f3882655c05', 'test2:traefik:518845800f9e2bfb1f1f740ec24f074e'],
  'digestAuth.users',
);

/** What a browser sends back after a challenge (RFC 7616, qop=auth). */
function clientAuthorization(user: string, password: string, nonce: string, method: string, uri: string) {
  const ha1 = md5(`${user}:traefik:${password}`);
  const response = md5(`${ha1}:${nonce}:00000001:0a4f113b:auth:${md5(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="traefik", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="0a4f113b", response="${response}", opaque="x"`;
}

describe('digest authentication', () => {
  it('verifies the response a client computes from the challenge', () => {
    const nonces = new DigestNonces();
    const nonce = nonces.issue();
    const header = clientAuthorization('test', 'test', nonce, 'GET', '/dir/index.html?x=1');
    const params = parseDigestAuthorization(header);
    expect(params?.username).toBe('test');
    expect(
      verifyDigest(params!, { method: 'GET', uri: '/dir/index.html?x=1' }, users, 'traefik', nonces),
    ).toEqual({
      ok: true,
      user: 'test',
    });
  });

  it('refuses a wrong password, another URI, another realm or a forged nonce', () => {
    const nonces = new DigestNonces();
    const nonce = nonces.issue();
    const check = (header: string, uri = '/') =>
      verifyDigest(parseDigestAuthorization(header)!, { method: 'GET', uri }, users, 'traefik', nonces).ok;
    expect(check(clientAuthorization('test', 'wrong', nonce, 'GET', '/'))).toBe(false);
    expect(check(clientAuthorization('test', 'test', nonce, 'GET', '/other'), '/')).toBe(false);
    expect(
      check(clientAuthorization('test', 'test', nonce, 'GET', '/').replace('realm="traefik"', 'realm="x"')),
    ).toBe(false);
    expect(check(clientAuthorization('test', 'test', `${nonce.split('.')[0]}.forged`, 'GET', '/'))).toBe(
      false,
    );
    expect(check(clientAuthorization('nobody', 'test', nonce, 'GET', '/'))).toBe(false);
  });

  it('reports an expired nonce as stale so the client can retry transparently', () => {
    let now = 0;
    const nonces = new DigestNonces(1000, () => now);
    const nonce = nonces.issue();
    now = 5000;
    const params = parseDigestAuthorization(clientAuthorization('test2', 'test2', nonce, 'GET', '/'))!;
    expect(verifyDigest(params, { method: 'GET', uri: '/' }, users, 'traefik', nonces)).toEqual({
      ok: false,
      stale: true,
    });
    expect(digestChallenge('traefik', nonces.issue(), true)).toMatch(
      /^Digest realm="traefik", nonce=".+", .*qop="auth", stale=true$/,
    );
  });

  it('ignores other schemes and refuses malformed user entries', () => {
    expect(parseDigestAuthorization('Basic dGVzdDp0ZXN0')).toBeUndefined();
    expect(() => parseHtdigest(['test:traefik'], 'digestAuth.users')).toThrow(
      /user entry 1 is not "name:realm:md5hash"/,
    );
  });
});
