import { describe, expect, it } from 'vitest';
import { parseBasicAuthorization } from '../../../../../proxy/middleware/basic-auth/basic-auth-middleware.js';
import { VerifiedCredentials } from '../../../../../proxy/middleware/basic-auth/verified-credentials.js';

describe('verified credentials cache', () => {
  it('remembers only the exact user, password and hash it was given', () => {
    const cache = new VerifiedCredentials();
    cache.add('bob', 'secret', '$2b$04$hash');
    expect(cache.has('bob', 'secret', '$2b$04$hash')).toBe(true);
    expect(cache.has('bob', 'secreT', '$2b$04$hash')).toBe(false);
    expect(cache.has('bob', 'secret', '$2b$04$other')).toBe(false);
    // The separator cannot be shifted between fields.
    expect(cache.has('bo', 'bsecret', '$2b$04$hash')).toBe(false);
  });

  it('is bounded, evicting the least recently used entry', () => {
    const cache = new VerifiedCredentials({ maxEntries: 2 });
    cache.add('a', 'p', 'h');
    cache.add('b', 'p', 'h');
    expect(cache.has('a', 'p', 'h')).toBe(true);
    cache.add('c', 'p', 'h');
    expect(cache.size).toBe(2);
    expect(cache.has('b', 'p', 'h')).toBe(false);
    expect(cache.has('a', 'p', 'h')).toBe(true);
  });

  it('forgets entries after their time to live', () => {
    let now = 0;
    const cache = new VerifiedCredentials({ ttlMs: 1000, now: () => now });
    cache.add('a', 'p', 'h');
    now = 1001;
    expect(cache.has('a', 'p', 'h')).toBe(false);
  });
});

describe('Basic authorization header', () => {
  it('splits at the first colon; other schemes and garbage are not credentials', () => {
    const header = `Basic ${Buffer.from('user:pa:ss').toString('base64')}`;
    expect(parseBasicAuthorization(header)).toEqual({ user: 'user', password: 'pa:ss' });
    expect(parseBasicAuthorization('Bearer abc')).toBeUndefined();
    expect(parseBasicAuthorization(`Basic ${Buffer.from('nocolon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuthorization(undefined)).toBeUndefined();
  });
});
