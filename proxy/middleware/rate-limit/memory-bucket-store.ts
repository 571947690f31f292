import type { RateLimitPlan } from './rate-limit-plan.js';
import { type BucketState, type Reservation, reserveToken } from './token-bucket.js';

export interface BucketStore {
  /** A store that can answer at once does (the in-memory one); a remote one returns a promise. */
  reserve(source: string): Reservation | Promise<Reservation>;
}

/**
 * Buckets for one proxy instance, one per source (client IP, header value or host), bounded so
 * that a flood of distinct sources cannot grow memory without limit.
 *
 * The bound is kept with two generations rather than a strict LRU: a source seen again is
 * looked up in the current generation (a plain Map update, the hot path), else moved up from the
 * previous one; when the current generation is full it becomes the previous one and the old
 * previous one is dropped. So every source seen within the last `maxSources` new sources is
 * kept, and at most 2 × `maxSources` are held. A strict LRU would delete and re-insert the entry
 * on every request, which costs more than the rest of the limiter. Idle buckets (older than the
 * plan's TTL) start full again, as if forgotten.
 */
export class MemoryBucketStore implements BucketStore {
  readonly #plan: RateLimitPlan;
  readonly #maxSources: number;
  readonly #now: () => number;
  #current = new Map<string, BucketState>();
  #previous = new Map<string, BucketState>();

  constructor(plan: RateLimitPlan, options: { maxSources?: number; now?: () => number } = {}) {
    this.#plan = plan;
    this.#maxSources = options.maxSources ?? 50_000;
    this.#now = options.now ?? Date.now;
  }

  reserve(source: string): Reservation {
    const now = this.#now();
    let known = this.#current.get(source);
    if (known === undefined) {
      known = this.#previous.get(source);
      if (known !== undefined) this.#previous.delete(source);
    }
    const fresh = known !== undefined && now - known.updatedAt <= this.#plan.idleTtlMs ? known : undefined;
    const { reservation, state } = reserveToken(fresh, this.#plan, now);
    this.#current.set(source, state);
    if (this.#current.size >= this.#maxSources) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    return reservation;
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
