import { describe, expect, it } from 'vitest';
import { apr1Hash } from '../../../../../proxy/middleware/basic-auth/apr1-md5.js';
import {
  hashKind,
  parseHtpasswd,
  verifyHtpasswd,
} from '../../../../../proxy/middleware/basic-auth/htpasswd.js';

// Expected hashes were produced with `openssl passwd -apr1 -salt SALT PASSWORD` and `htpasswd`.
describe('MD5-apr1', () => {
  it.each([
    ['test', 'H6uskkkW', '$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/'],
    ['test2', 'd9hr9HBB', '$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0'],
    ['myPassword', 'r31.....', '$apr1$r31.....$HqJZimcKQFAMYayBlzkrA/'],
    ['pässwörd', 'abcdefgh', '$apr1$abcdefgh$030j6I3f1zNCF9tihqdd11'],
    ['a-very-long-password-of-more-than-sixteen-bytes', 'xY12.z/9', '$apr1$xY12.z/9$KMbmfSS90JJ2pgPVSbNYE/'],
  ])('hashes %j like Apache and OpenSSL', (password, salt, expected) => {
    expect(apr1Hash(password, salt)).toBe(expected);
  });
});

describe('htpasswd verification', () => {
  // The users of Traefik's basicAuth documentation: test:test and test2:test2.
  const users = parseHtpasswd(
    [
      'test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/',
      '',
      '# a comment',
      'test2:$apr1$d9hr9HBB$4HxwgUir3HP4EsggP/QNo0',
    ],
    'basicAuth.users',
  );

  it('reads name:hash lines, skipping blanks and comments', () => {
    expect(users.map((u) => u.name)).toEqual(['test', 'test2']);
  });

  it('accepts the right password and refuses a wrong one, for each hash kind', async () => {
    const cases: [string, string][] = [
      ['$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/', 'test'],
      ['{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=', 'secret'],
      ['$2y$05$WUP9XOQStZqrxPLNPKenGOhY61sG4JrlH/n3f.uogjOo7IywhAsVe', 'secret'],
    ];
    for (const [hash, password] of cases) {
      expect(await verifyHtpasswd(hash, password)).toBe(true);
      expect(await verifyHtpasswd(hash, `${password}x`)).toBe(false);
      expect(await verifyHtpasswd(hash, '')).toBe(false);
    }
  });

  it('tells the hash kinds apart and refuses plain text', async () => {
    expect(['$apr1$a$b', '{SHA}x', '$2a$10$x', '$2b$10$x', 'plain'].map(hashKind)).toEqual([
      'apr1',
      'sha1',
      'bcrypt',
      'bcrypt',
      undefined,
    ]);
    expect(await verifyHtpasswd('plain', 'plain')).toBe(false);
  });

  it('names the middleware and the entry when a line is malformed', () => {
    expect(() => parseHtpasswd(['good:{SHA}x', 'no-colon-here'], 'basicAuth.users')).toThrow(
      /basicAuth\.users: user entry 2 is not "name:hash"/,
    );
    expect(() => parseHtpasswd(['bob:plaintext'], 'basicAuth.users')).toThrow(/htpasswd -nbm/);
  });
});
