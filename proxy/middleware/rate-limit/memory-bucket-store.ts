import type { RateLimitPlan } from './rate-limit-plan.js';
import { type BucketState, type Reservation, reserveToken } from './token-bucket.js';

export interface BucketStore {
  /** A store that can answer at once does (the in-memory one); a remote one returns a promise. */
  reserve(source: string): Reservation | Promise<Reservation>;
}

/**
 * Buckets for one proxy instance, one per source (client IP, header value or host). Idle
 * buckets are dropped after the plan's TTL and the map is bounded, so a flood of distinct
 * sources cannot grow memory without limit.
 */
export class MemoryBucketStore implements BucketStore {
  readonly #plan: RateLimitPlan;
  readonly #buckets = new Map<string, BucketState>();
  readonly #maxSources: number;
  readonly #now: () => number;

  constructor(plan: RateLimitPlan, options: { maxSources?: number; now?: () => number } = {}) {
    this.#plan = plan;
    this.#maxSources = options.maxSources ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  reserve(source: string): Reservation {
    const now = this.#now();
    const current = this.#buckets.get(source);
    const fresh = current && now - current.updatedAt <= this.#plan.idleTtlMs ? current : undefined;
    const { reservation, state } = reserveToken(fresh, this.#plan, now);
    // Re-inserting keeps the Map in least-recently-used order for eviction.
    this.#buckets.delete(source);
    this.#buckets.set(source, state);
    if (this.#buckets.size > this.#maxSources) {
      const oldest = this.#buckets.keys().next().value;
      if (oldest !== undefined) this.#buckets.delete(oldest);
    }
    return reservation;
  }

  get size(): number {
    return this.#buckets.size;
  }
}
