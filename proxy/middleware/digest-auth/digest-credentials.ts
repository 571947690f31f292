/**
 * HTTP Digest authentication (RFC 7616, MD5 with `qop=auth`, as Traefik's digestAuth and
 * `htdigest` files use). Nonces are stateless: a timestamp signed with a per-process key, so
 * any request can be checked without a session table, and old nonces expire.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AffineurError } from '../../../src/errors/affineur-error.js';

export interface DigestUser {
  name: string;
  realm: string;
  /** MD5(name:realm:password), as stored by `htdigest`. */
  ha1: string;
}

export function parseHtdigest(lines: readonly string[], where: string): DigestUser[] {
  const users: DigestUser[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const [name, realm, ha1, ...rest] = line.split(':');
    if (!name || realm === undefined || !ha1 || rest.length > 0 || !/^[0-9a-f]{32}$/i.test(ha1)) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_INVALID',
        `user entry ${index + 1} is not "name:realm:md5hash".`,
        {
          keyPath: where,
          hint: 'Generate entries with `htdigest -c FILE REALM USER`.',
        },
      );
    }
    users.push({ name, realm, ha1: ha1.toLowerCase() });
  });
  return users;
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export class DigestNonces {
  readonly #key = randomBytes(32);
  readonly #lifetimeMs: number;
  readonly #now: () => number;

  constructor(lifetimeMs = 5 * 60_000, now: () => number = Date.now) {
    this.#lifetimeMs = lifetimeMs;
    this.#now = now;
  }

  issue(): string {
    const issuedAt = this.#now().toString(36);
    return `${issuedAt}.${this.#sign(issuedAt)}`;
  }

  /** `valid`, `stale` (genuine but expired: the client may retry with a new nonce), or `invalid`. */
  check(nonce: string): 'valid' | 'stale' | 'invalid' {
    const [issuedAt = '', signature = ''] = nonce.split('.');
    const expected = this.#sign(issuedAt);
    if (
      signature.length !== expected.length ||
      !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
    ) {
      return 'invalid';
    }
    return this.#now() - Number.parseInt(issuedAt, 36) > this.#lifetimeMs ? 'stale' : 'valid';
  }

  #sign(value: string): string {
    return createHmac('sha256', this.#key).update(value).digest('base64url');
  }
}

export function digestChallenge(realm: string, nonce: string, stale: boolean): string {
  return `Digest realm="${realm}", nonce="${nonce}", opaque="${md5(realm)}", algorithm=MD5, qop="auth"${stale ? ', stale=true' : ''}`;
}

/** Parses `Digest k="v", k2=v2` into its parameters, or undefined for another scheme. */
export function parseDigestAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (!header || !/^digest\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const match of header.slice(7).matchAll(/([a-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/gi)) {
    params[(match[1] as string).toLowerCase()] = (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return params;
}

export type DigestVerdict = { ok: true; user: string } | { ok: false; stale: boolean };

export function verifyDigest(
  params: Record<string, string>,
  request: { method: string; uri: string },
  users: readonly DigestUser[],
  realm: string,
  nonces: DigestNonces,
): DigestVerdict {
  const { username, nonce, uri, response, qop, nc, cnonce } = params;
  if (!username || !nonce || !uri || !response || params.realm !== realm) return { ok: false, stale: false };
  // The digest covers the URI the client names; it must be the one actually requested.
  if (uri !== request.uri) return { ok: false, stale: false };
  const user = users.find((u) => u.name === username && u.realm === realm);
  if (!user) return { ok: false, stale: false };
  const ha2 = md5(`${request.method}:${uri}`);
  const expected =
    qop === 'auth' && nc && cnonce
      ? md5(`${user.ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)
      : md5(`${user.ha1}:${nonce}:${ha2}`);
  if (
    response.length !== expected.length ||
    !timingSafeEqual(Buffer.from(response.toLowerCase()), Buffer.from(expected))
  ) {
    return { ok: false, stale: false };
  }
  const freshness = nonces.check(nonce);
  if (freshness !== 'valid') return { ok: false, stale: freshness === 'stale' };
  return { ok: true, user: username };
}
