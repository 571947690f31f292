import { createSign, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { looksLikeJwt, verifyJwt } from '../../../../../src/forge/auth/app-jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const now = 1_700_000_000;

function sign(claims: Record<string, unknown>, alg = 'RS256', key = privateKey): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key).toString('base64url')}`;
}

describe('app JWTs', () => {
  it('accepts a token signed by the app key within GitHub’s time window', () => {
    const token = sign({ iss: 42, iat: now - 60, exp: now + 540 });
    expect(looksLikeJwt(token)).toBe(true);
    expect(verifyJwt(token, publicPem, now)).toEqual({ iss: '42', iat: now - 60, exp: now + 540 });
  });

  it('refuses other keys, other algorithms, expired tokens and tokens living too long', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const status = (fn: () => unknown) => {
      try {
        fn();
        return 200;
      } catch (error) {
        return (error as { status?: number }).status;
      }
    };
    expect(
      status(() => verifyJwt(sign({ iss: 42, iat: now, exp: now + 60 }, 'RS256', other), publicPem, now)),
    ).toBe(401);
    expect(status(() => verifyJwt(sign({ iss: 42, iat: now, exp: now + 60 }, 'HS256'), publicPem, now))).toBe(
      401,
    );
    expect(status(() => verifyJwt(sign({ iss: 42, iat: now - 700, exp: now - 1 }), publicPem, now))).toBe(
      401,
    );
    expect(status(() => verifyJwt(sign({ iss: 42, iat: now, exp: now + 3600 }), publicPem, now))).toBe(401);
    expect(status(() => verifyJwt(sign({ iss: 42, iat: now + 600, exp: now + 660 }), publicPem, now))).toBe(
      401,
    );
    expect(status(() => verifyJwt(sign({ iat: now, exp: now + 60 }), publicPem, now))).toBe(401);
  });

  it('tells JWTs from personal tokens', () => {
    expect(looksLikeJwt('ghp_abcdef')).toBe(false);
  });
});
