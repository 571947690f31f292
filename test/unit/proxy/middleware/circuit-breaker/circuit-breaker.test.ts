import { describe, expect, it } from 'vitest';
import { compileBreakerExpression } from '../../../../../proxy/middleware/circuit-breaker/breaker-expression.js';
import { RollingMetrics } from '../../../../../proxy/middleware/circuit-breaker/breaker-metrics.js';
import { BreakerState } from '../../../../../proxy/middleware/circuit-breaker/breaker-state.js';

function metricsAt(clock: { now: number }) {
  return new RollingMetrics({ now: () => clock.now });
}

describe('circuit breaker metrics', () => {
  it('computes ratios and latency quantiles over the rolling window', () => {
    const clock = { now: 0 };
    const metrics = metricsAt(clock);
    for (let i = 0; i < 6; i++) metrics.record({ statusCode: 200 }, 10);
    for (let i = 0; i < 3; i++) metrics.record({ statusCode: 503 }, 100);
    metrics.record({ networkError: true }, 1000);
    expect(metrics.networkErrorRatio()).toBeCloseTo(0.1);
    expect(metrics.responseCodeRatio(500, 600, 0, 600)).toBeCloseTo(3 / 9);
    expect(metrics.latencyAtQuantileMs(50)).toBeCloseTo(10, 0);
    expect(metrics.latencyAtQuantileMs(90)).toBeGreaterThanOrEqual(100);
    expect(metrics.latencyAtQuantileMs(90)).toBeLessThan(103);
  });

  it('forgets traffic older than the window', () => {
    const clock = { now: 0 };
    const metrics = metricsAt(clock);
    metrics.record({ networkError: true }, 1);
    clock.now = 9_999;
    expect(metrics.networkErrorRatio()).toBe(1);
    clock.now = 10_000;
    expect(metrics.networkErrorRatio()).toBe(0);
  });
});

describe('circuit breaker expressions (Traefik syntax)', () => {
  const metrics = (network: number, codes: number, latency: number) => ({
    networkErrorRatio: () => network,
    responseCodeRatio: () => codes,
    latencyAtQuantileMs: () => latency,
  });

  it.each([
    ['NetworkErrorRatio() > 0.30', metrics(0.5, 0, 0), true],
    ['NetworkErrorRatio() > 0.30', metrics(0.2, 0, 0), false],
    ['ResponseCodeRatio(500, 600, 0, 600) > 0.25', metrics(0, 0.3, 0), true],
    ['LatencyAtQuantileMS(50.0) > 100', metrics(0, 0, 150), true],
    ['LatencyAtQuantileMS(50.0) > 100 || NetworkErrorRatio() > 0.5', metrics(0.6, 0, 0), true],
    [
      'NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(50.0) > 100 && ResponseCodeRatio(500,600,0,600) > 0.5',
      metrics(0.6, 0, 0),
      true,
    ],
    [
      '(NetworkErrorRatio() > 0.5 || LatencyAtQuantileMS(50.0) > 100) && ResponseCodeRatio(500,600,0,600) > 0.5',
      metrics(0.6, 0, 0),
      false,
    ],
    [
      'NetworkErrorRatio() >= 0.5 && NetworkErrorRatio() <= 0.5 && NetworkErrorRatio() == 0.5',
      metrics(0.5, 0, 0),
      true,
    ],
    ['NetworkErrorRatio() != 0', metrics(0, 0, 0), false],
  ])('%s', (expression, values, expected) => {
    expect(compileBreakerExpression(expression)(values)).toBe(expected);
  });

  it.each([
    ['NetworkErrorRatio > 0.5', /expected "\(" at column 19/],
    ['NetworkErrorRatio()', /expected a comparison .* at column 20, found the end/],
    [
      'ErrorRatio() > 1',
      /expected one of NetworkErrorRatio, ResponseCodeRatio, LatencyAtQuantileMS at column 1/,
    ],
    ['ResponseCodeRatio(500, 600) > 0.5', /ResponseCodeRatio takes 4 argument\(s\), got 2/],
    ['NetworkErrorRatio() > 0.5 &&', /expected a function .* at column 29/],
    ['NetworkErrorRatio() > 0.5 $ 1', /unexpected character "\$" at column 27/],
  ])('refuses %j with the position', (expression, message) => {
    expect(() => compileBreakerExpression(expression)).toThrow(message);
  });
});

describe('circuit breaker states', () => {
  const timings = { checkPeriodMs: 100, fallbackDurationMs: 1000, recoveryDurationMs: 1000 };

  it('trips, falls back, recovers gradually, and returns to standby', () => {
    const clock = { now: 0 };
    const metrics = metricsAt(clock);
    const breaker = new BreakerState(
      compileBreakerExpression('NetworkErrorRatio() > 0.5'),
      metrics,
      timings,
      () => clock.now,
    );
    expect(breaker.admit()).toBe(true);
    metrics.record({ networkError: true }, 5);
    clock.now = 50; // within the check period: not evaluated yet
    expect(breaker.admit()).toBe(true);
    clock.now = 100;
    expect(breaker.admit()).toBe(false);
    expect(breaker.state).toBe('tripped');
    clock.now = 1100;
    expect(breaker.state).toBe('recovering');
    // A quarter of the way through recovery, about a quarter of requests get through.
    clock.now = 1350;
    const admitted = Array.from({ length: 100 }, () => breaker.admit()).filter(Boolean).length;
    expect(admitted).toBeGreaterThanOrEqual(24);
    expect(admitted).toBeLessThanOrEqual(27);
    clock.now = 2100;
    expect(breaker.state).toBe('standby');
    expect(breaker.admit()).toBe(true);
  });

  it('trips again if the service still fails while recovering', () => {
    const clock = { now: 0 };
    const metrics = metricsAt(clock);
    const breaker = new BreakerState(
      compileBreakerExpression('NetworkErrorRatio() > 0.5'),
      metrics,
      timings,
      () => clock.now,
    );
    metrics.record({ networkError: true }, 5);
    clock.now = 100;
    breaker.admit();
    clock.now = 1200;
    expect(breaker.state).toBe('recovering');
    metrics.record({ networkError: true }, 5);
    clock.now = 1400;
    expect(breaker.admit()).toBe(false);
    expect(breaker.state).toBe('tripped');
  });
});
