/**
 * Verifies the RS256 JSON Web Token a GitHub App signs with its private key, applying GitHub's
 * rules: `iss` is the app id, the token is already valid (`iat`, with a minute of clock skew) and
 * expires no more than ten minutes ahead.
 */
import { createPublicKey, verify } from 'node:crypto';
import { ApiError } from '../http/api-error.js';

export interface JwtClaims {
  iss: string;
  iat: number;
  exp: number;
}

function decodePart(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

export function looksLikeJwt(token: string): boolean {
  return /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);
}

const undecodable = () => new ApiError(401, 'A JSON web token could not be decoded');

/** Reads the claims without verifying, to find which app's key to verify with. */
export function readJwtClaims(token: string): JwtClaims {
  const [header, payload] = token.split('.');
  let claims: unknown;
  let head: unknown;
  try {
    head = decodePart(header ?? '');
    claims = decodePart(payload ?? '');
  } catch {
    throw undecodable();
  }
  if ((head as { alg?: unknown })?.alg !== 'RS256') throw undecodable();
  const { iss, iat, exp } = (claims ?? {}) as Record<string, unknown>;
  if (
    (typeof iss !== 'string' && typeof iss !== 'number') ||
    typeof iat !== 'number' ||
    typeof exp !== 'number'
  ) {
    throw new ApiError(401, "'Issuer' claim ('iss') must be an Integer");
  }
  return { iss: String(iss), iat, exp };
}

export function verifyJwt(token: string, publicKeyPem: string, nowSeconds: number): JwtClaims {
  const claims = readJwtClaims(token);
  const [header = '', payload = '', signature = ''] = token.split('.');
  const ok = verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    createPublicKey(publicKeyPem),
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw undecodable();
  if (claims.iat > nowSeconds + 60) {
    throw new ApiError(401, "'Issued at' claim ('iat') must be an Integer representing a time in the past.");
  }
  if (claims.exp <= nowSeconds)
    throw new ApiError(
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    );
  if (claims.exp > nowSeconds + 600 + 60) {
    throw new ApiError(401, "'Expiration time' claim ('exp') is too far in the future");
  }
  return claims;
}
