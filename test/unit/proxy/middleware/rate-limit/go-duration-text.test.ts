import { describe, expect, it } from 'vitest';
import { goDurationText } from '../../../../../proxy/middleware/rate-limit/go-duration-text.js';

describe('Go duration text (X-Retry-In)', () => {
  it('writes durations as Go does', () => {
    expect(goDurationText(1500)).toBe('1.5s');
    expect(goDurationText(250)).toBe('250ms');
    expect(goDurationText(60_500)).toBe('1m0.5s');
    expect(goDurationText(3_600_000)).toBe('1h0m0s');
    expect(goDurationText(0.0015)).toBe('1.5µs');
    expect(goDurationText(0)).toBe('0s');
  });
});
