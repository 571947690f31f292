import { describe, expect, it } from 'vitest';
import { idleConnectionsToKeep } from '../../../../proxy/forward/idle-capped-pool.js';

describe('idleConnectionsToKeep (maxIdleConnsPerHost read as Go reads it)', () => {
  it('keeps the configured number of idle connections', () => {
    expect(idleConnectionsToKeep(200)).toBe(200);
    expect(idleConnectionsToKeep(1)).toBe(1);
  });

  it("reads 0 as Go's DefaultMaxIdleConnsPerHost, 2", () => {
    expect(idleConnectionsToKeep(0)).toBe(2);
  });

  it('keeps none for a negative value', () => {
    expect(idleConnectionsToKeep(-1)).toBe(0);
    expect(idleConnectionsToKeep(-50)).toBe(0);
  });
});
