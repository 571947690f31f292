/**
 * htpasswd users, as Traefik's basicAuth reads them (`users` entries or a `usersFile`):
 * `name:hash` with an MD5-apr1, SHA1 (`{SHA}`) or bcrypt (`$2a$`, `$2b$`, `$2y$`) hash.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { AffineurError } from '../../../src/errors/affineur-error.js';
import { apr1Hash } from './apr1-md5.js';

export interface HtpasswdUser {
  name: string;
  hash: string;
}

export type HashKind = 'apr1' | 'sha1' | 'bcrypt';

export function hashKind(hash: string): HashKind | undefined {
  if (hash.startsWith('$apr1$')) return 'apr1';
  if (hash.startsWith('{SHA}')) return 'sha1';
  if (/^\$2[aby]\$\d{2}\$/.test(hash)) return 'bcrypt';
  return undefined;
}

/**
 * Parses htpasswd lines; blank lines and `#` comments are skipped. `where` names the middleware
 * (and file) for errors, so a bad entry points at its source.
 */
export function parseHtpasswd(lines: readonly string[], where: string): HtpasswdUser[] {
  const users: HtpasswdUser[] = [];
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const hash = line.slice(colon + 1);
    if (colon <= 0 || !hashKind(hash)) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_INVALID',
        `user entry ${index + 1} is not "name:hash" with a supported hash.`,
        {
          keyPath: where,
          hint: 'Generate entries with `htpasswd -nbm user password` (MD5), `-nbs` (SHA1) or `-nbB` (bcrypt).',
        },
      );
    }
    users.push({ name, hash });
  });
  return users;
}

/** Checks a password against an htpasswd hash, in constant time for the fast hashes. */
export async function verifyHtpasswd(hash: string, password: string): Promise<boolean> {
  switch (hashKind(hash)) {
    case 'apr1': {
      const salt = hash.split('$')[2] ?? '';
      return equalInConstantTime(apr1Hash(password, salt), hash);
    }
    case 'sha1':
      return equalInConstantTime(
        `{SHA}${createHash('sha1').update(password, 'utf8').digest('base64')}`,
        hash,
      );
    case 'bcrypt':
      // bcryptjs only knows $2a$/$2b$; $2y$ (PHP/Apache) is the same algorithm.
      return bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
    default:
      return false;
  }
}

function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
