/**
 * The circuit breaker's state machine, after Traefik: `standby` lets traffic through and checks
 * the expression every `checkPeriod`; when it holds the breaker `trips` and answers with the
 * fallback for `fallbackDuration`; then it is `recovering`, letting a share of traffic through
 * that grows linearly over `recoveryDuration`, and trips again if the expression holds.
 */

import type { BreakerPredicate } from './breaker-expression.js';
import type { RollingMetrics } from './breaker-metrics.js';

export type BreakerStateName = 'standby' | 'tripped' | 'recovering';

export interface BreakerTimings {
  checkPeriodMs: number;
  fallbackDurationMs: number;
  recoveryDurationMs: number;
}

export const defaultBreakerTimings: BreakerTimings = {
  checkPeriodMs: 100,
  fallbackDurationMs: 10_000,
  recoveryDurationMs: 10_000,
};

export class BreakerState {
  #state: BreakerStateName = 'standby';
  #since = 0;
  #lastCheck = Number.NEGATIVE_INFINITY;
  #recoverySeen = 0;
  #recoveryAllowed = 0;
  readonly #predicate: BreakerPredicate;
  readonly #metrics: RollingMetrics;
  readonly #timings: BreakerTimings;
  readonly #now: () => number;

  constructor(
    predicate: BreakerPredicate,
    metrics: RollingMetrics,
    timings: BreakerTimings,
    now: () => number = Date.now,
  ) {
    this.#predicate = predicate;
    this.#metrics = metrics;
    this.#timings = timings;
    this.#now = now;
  }

  get state(): BreakerStateName {
    this.#advance(this.#now());
    return this.#state;
  }

  /** Should this request reach the service (true) or get the fallback response (false)? */
  admit(): boolean {
    const now = this.#now();
    this.#advance(now);
    if (this.#state === 'tripped') return false;
    if (this.#state === 'recovering') {
      const share = Math.min(1, (now - this.#since) / this.#timings.recoveryDurationMs);
      this.#recoverySeen++;
      // Deterministic ratio: admit whenever the admitted share has fallen behind the target.
      if (this.#recoveryAllowed / this.#recoverySeen > share && this.#recoveryAllowed > 0) return false;
      this.#recoveryAllowed++;
    }
    return true;
  }

  #advance(now: number): void {
    if (this.#state === 'tripped' && now - this.#since >= this.#timings.fallbackDurationMs) {
      this.#enter('recovering', now);
    }
    if (this.#state === 'recovering' && now - this.#since >= this.#timings.recoveryDurationMs) {
      this.#enter('standby', now);
    }
    if (this.#state !== 'tripped' && now - this.#lastCheck >= this.#timings.checkPeriodMs) {
      this.#lastCheck = now;
      if (this.#predicate(this.#metrics)) this.#enter('tripped', now);
    }
  }

  #enter(state: BreakerStateName, now: number): void {
    this.#state = state;
    this.#since = now;
    this.#recoverySeen = 0;
    this.#recoveryAllowed = 0;
    // Each state judges only the traffic it saw itself.
    this.#metrics.reset();
  }
}
