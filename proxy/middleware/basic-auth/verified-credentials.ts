/**
 * Remembers credentials that already passed a (slow) hash check, so a client sending the same
 * `Authorization` on every request costs one bcrypt run, not one per request.
 *
 * What is kept is never the password: the key is an HMAC of user, password and stored hash under
 * a random per-process key, so the map cannot be reversed or precomputed, and changing a user's
 * hash (a new middleware build) invalidates it. Only successes are cached: a wrong password is
 * always checked in full. The map is bounded and least-recently-used entries go first, so a flood
 * of distinct valid logins cannot grow memory, and entries expire so a hot entry is re-proved
 * now and then.
 */
import { createHmac, randomBytes } from 'node:crypto';

export class VerifiedCredentials {
  readonly #key = randomBytes(32);
  readonly #entries = new Map<string, number>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: { maxEntries?: number; ttlMs?: number; now?: () => number } = {}) {
    this.#maxEntries = options.maxEntries ?? 1024;
    this.#ttlMs = options.ttlMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
  }

  #keyOf(user: string, password: string, hash: string): string {
    // Lengths first, so no two different triples can produce the same input.
    return createHmac('sha256', this.#key)
      .update(`${user.length}:${password.length}:${hash.length}:`)
      .update(user)
      .update(password)
      .update(hash)
      .digest('base64url');
  }

  has(user: string, password: string, hash: string): boolean {
    const key = this.#keyOf(user, password, hash);
    const at = this.#entries.get(key);
    if (at === undefined) return false;
    this.#entries.delete(key);
    if (this.#now() - at > this.#ttlMs) return false;
    this.#entries.set(key, at);
    return true;
  }

  add(user: string, password: string, hash: string): void {
    const key = this.#keyOf(user, password, hash);
    this.#entries.delete(key);
    this.#entries.set(key, this.#now());
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
