import { describe, expect, it } from 'vitest';
import { isReplayable, retryDelays } from '../../../../../proxy/middleware/retry/retry-backoff.js';

describe('retry backoff (Traefik shape)', () => {
  it('grows from initialInterval to twice it over the attempts, with ±50% jitter', () => {
    const delay = retryDelays(4, 100);
    // random 0.5 is the midpoint: no jitter.
    expect(delay(1, 0.5)).toBeCloseTo(100);
    expect(delay(2, 0.5)).toBeCloseTo(100 * 2 ** (1 / 3));
    expect(delay(4, 0.5)).toBeCloseTo(200);
    expect(delay(1, 0)).toBeCloseTo(50);
    expect(delay(1, 0.999999)).toBeCloseTo(150, 0);
  });

  it('retries at once without an interval or with a single attempt', () => {
    expect(retryDelays(4, 0)(1)).toBe(0);
    expect(retryDelays(1, 100)(1)).toBe(0);
  });
});

describe('replayable requests', () => {
  const request = (method: string, headers: Record<string, string> = {}, bufferedBody = false) =>
    isReplayable({ method, headers, bufferedBody, upgrade: false });

  it('are idempotent and carry no streamed body', () => {
    expect(request('GET')).toBe(true);
    expect(request('DELETE')).toBe(true);
    expect(request('PUT', { 'content-length': '3' })).toBe(false);
    expect(request('PUT', { 'content-length': '3' }, true)).toBe(true);
    expect(request('GET', { 'transfer-encoding': 'chunked' })).toBe(false);
    expect(request('POST')).toBe(false);
    expect(request('PATCH')).toBe(false);
    expect(isReplayable({ method: 'GET', headers: {}, bufferedBody: false, upgrade: true })).toBe(false);
  });
});
