/**
 * Who is calling: resolves an `Authorization` header (token, Bearer, or Basic with a token as
 * the password, which is how git sends `x-access-token:TOKEN`) to a principal.
 */
import { ApiError } from '../http/api-error.js';
import type { ForgeState } from '../state/model.js';
import { appById } from '../state/queries.js';
import { looksLikeJwt, readJwtClaims, verifyJwt } from './app-jwt.js';
import { hashToken } from './tokens.js';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; login: string }
  | { kind: 'installation'; installationId: number; appId: number; repositoryIds: number[] | null }
  | { kind: 'app'; appId: number };

export const anonymous: Principal = { kind: 'anonymous' };

const badCredentials = () => new ApiError(401, 'Bad credentials');

/** The token carried by an Authorization header, or null when there is none. */
export function tokenFromHeader(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme = '', value = ''] = header.trim().split(/\s+/, 2);
  const lower = scheme.toLowerCase();
  if (lower === 'token' || lower === 'bearer') return value;
  if (lower === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon >= 0 ? decoded.slice(colon + 1) : decoded;
    // `TOKEN:x-oauth-basic` puts the token first; every other form puts it in the password.
    return password === 'x-oauth-basic' || password === '' ? decoded.slice(0, Math.max(colon, 0)) : password;
  }
  throw badCredentials();
}

export function resolvePrincipal(state: ForgeState, header: string | undefined, now: Date): Principal {
  const token = tokenFromHeader(header);
  if (token === null) return anonymous;
  if (looksLikeJwt(token)) {
    const claims = readJwtClaims(token);
    const app = appById(state, Number(claims.iss));
    // An app registered from a manifest has no key until its code is converted.
    if (!app?.publicKeyPem) throw new ApiError(401, 'Integration not found');
    verifyJwt(token, app.publicKeyPem, Math.floor(now.getTime() / 1000));
    return { kind: 'app', appId: app.id };
  }
  const hash = hashToken(token);
  const record = state.tokens.find((t) => t.hash === hash);
  if (!record) throw badCredentials();
  if (record.expiresAt && new Date(record.expiresAt) <= now) throw badCredentials();
  if (record.kind === 'user' && record.login) return { kind: 'user', login: record.login };
  const installation = state.installations.find((i) => i.id === record.installationId);
  if (!installation) throw badCredentials();
  return {
    kind: 'installation',
    installationId: installation.id,
    appId: installation.appId,
    repositoryIds: record.repositoryIds ?? null,
  };
}
