import { describe, expect, it } from 'vitest';
import { durationSchema, formatDuration, parseDuration } from '../../../../src/config/duration.js';

describe('parseDuration', () => {
  it.each([
    ['100ms', 100],
    ['2s', 2000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    ['500us', 0.5],
    ['0', 0],
    ['10', 10_000],
    ['2.5', 2500],
    [' 3s ', 3000],
    ['-1s', -1000],
  ])('reads %j as %d ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it('reads plain numbers as seconds, as Traefik does', () => {
    expect(parseDuration(42)).toBe(42_000);
    expect(parseDuration(0.25)).toBe(250);
  });

  it.each(['', 's', '10 s', '1d', '1m30', 'abc', '1s2x'])('refuses %j', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('formats milliseconds back in the largest whole unit', () => {
    expect([0, 250, 2000, 120_000, 7_200_000].map(formatDuration)).toEqual(['0s', '250ms', '2s', '2m', '2h']);
  });

  it('validates through the schema with a message that shows the accepted forms', () => {
    expect(durationSchema.parse('1m30s')).toBe(90_000);
    const result = durationSchema.safeParse('soon');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('"100ms", "2s", "1m30s"');
  });
});
