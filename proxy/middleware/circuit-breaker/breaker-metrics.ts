/**
 * What a circuit-breaker expression can read: the recent traffic of the service it guards,
 * over a rolling window of one-second buckets (ten by default, as in Traefik).
 */
export interface BreakerMetrics {
  networkErrorRatio(): number;
  /** Responses with a code in [from, to) divided by those in [dividedByFrom, dividedByTo). */
  responseCodeRatio(from: number, to: number, dividedByFrom: number, dividedByTo: number): number;
  latencyAtQuantileMs(quantile: number): number;
}

interface Bucket {
  second: number;
  total: number;
  networkErrors: number;
  codes: Map<number, number>;
  /** Latency histogram with log-spaced bins: about 2% precision, fixed memory. */
  latencyBins: Map<number, number>;
}

const binGrowth = Math.log(1.02);
const binOf = (ms: number) => Math.floor(Math.log1p(Math.max(0, ms)) / binGrowth);
const binUpperMs = (bin: number) => Math.expm1((bin + 1) * binGrowth);

export class RollingMetrics implements BreakerMetrics {
  readonly #buckets: Bucket[];
  readonly #now: () => number;

  constructor(options: { buckets?: number; now?: () => number } = {}) {
    this.#buckets = Array.from({ length: options.buckets ?? 10 }, () => emptyBucket(-1));
    this.#now = options.now ?? Date.now;
  }

  /** Records one finished request: its status code, or a network error (no response at all). */
  record(outcome: { statusCode: number } | { networkError: true }, latencyMs: number): void {
    const bucket = this.#current();
    bucket.total++;
    if ('networkError' in outcome) bucket.networkErrors++;
    else bucket.codes.set(outcome.statusCode, (bucket.codes.get(outcome.statusCode) ?? 0) + 1);
    const bin = binOf(latencyMs);
    bucket.latencyBins.set(bin, (bucket.latencyBins.get(bin) ?? 0) + 1);
  }

  networkErrorRatio(): number {
    const live = this.#live();
    const total = sum(live, (b) => b.total);
    return total === 0 ? 0 : sum(live, (b) => b.networkErrors) / total;
  }

  responseCodeRatio(from: number, to: number, dividedByFrom: number, dividedByTo: number): number {
    let numerator = 0;
    let denominator = 0;
    for (const bucket of this.#live()) {
      for (const [code, count] of bucket.codes) {
        if (code >= from && code < to) numerator += count;
        if (code >= dividedByFrom && code < dividedByTo) denominator += count;
      }
    }
    return denominator === 0 ? 0 : numerator / denominator;
  }

  latencyAtQuantileMs(quantile: number): number {
    const merged = new Map<number, number>();
    for (const bucket of this.#live()) {
      for (const [bin, count] of bucket.latencyBins) merged.set(bin, (merged.get(bin) ?? 0) + count);
    }
    const total = [...merged.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return 0;
    const rank = Math.ceil((Math.min(100, Math.max(0, quantile)) / 100) * total);
    let seen = 0;
    for (const bin of [...merged.keys()].sort((a, b) => a - b)) {
      seen += merged.get(bin) ?? 0;
      if (seen >= Math.max(1, rank)) return binUpperMs(bin);
    }
    return 0;
  }

  /** Forgets everything, as Traefik does when the breaker changes state. */
  reset(): void {
    for (let i = 0; i < this.#buckets.length; i++) this.#buckets[i] = emptyBucket(-1);
  }

  #current(): Bucket {
    const second = Math.floor(this.#now() / 1000);
    const index = second % this.#buckets.length;
    const bucket = this.#buckets[index] as Bucket;
    if (bucket.second === second) return bucket;
    const fresh = emptyBucket(second);
    this.#buckets[index] = fresh;
    return fresh;
  }

  #live(): Bucket[] {
    const second = Math.floor(this.#now() / 1000);
    return this.#buckets.filter((b) => b.second > second - this.#buckets.length && b.second <= second);
  }
}

function emptyBucket(second: number): Bucket {
  return { second, total: 0, networkErrors: 0, codes: new Map(), latencyBins: new Map() };
}

function sum(buckets: Bucket[], pick: (b: Bucket) => number): number {
  return buckets.reduce((total, b) => total + pick(b), 0);
}
