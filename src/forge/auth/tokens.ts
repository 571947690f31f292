/**
 * Token minting and lookup. Tokens look like GitHub's (`ghp_` for users, `ghs_` for
 * installations) so that log redaction and secret scanners treat them the same way. Only a
 * sha256 of each token is stored.
 */
import { createHash, randomBytes } from 'node:crypto';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function mintToken(prefix: 'ghp' | 'ghs'): string {
  const bytes = randomBytes(36);
  let body = '';
  for (const byte of bytes) body += alphabet[byte % alphabet.length];
  return `${prefix}_${body}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
