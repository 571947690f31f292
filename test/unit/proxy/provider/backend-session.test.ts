/**
 * The backend session with a watch-style attempt (the shape the etcd and Docker providers use):
 * a full read, then following until the connection drops. Nothing is mocked: the attempts are
 * plain functions standing for a backend that drops and comes back.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../proxy/provider/backend-backoff.js';
import { startBackendSession } from '../../../../proxy/provider/backend-session.js';

function capture() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()));
        callback();
      },
    }),
  );
  return { logger, lines };
}

describe('startBackendSession', () => {
  it('resyncs on each reconnection, logs one outage and one recovery, and stops on abort', async () => {
    const { logger, lines } = capture();
    const stop = new AbortController();
    const events: string[] = [];
    let attempt = 0;
    const session = startBackendSession({
      backend: 'etcd://127.0.0.1:2379',
      logger,
      signal: stop.signal,
      backoff: { initialMs: 1, maxMs: 4 },
      attempt: async ({ signal, synced }) => {
        attempt++;
        // Attempts 2 to 4 cannot connect; 1 and 5 read everything, then follow until the drop.
        if (attempt >= 2 && attempt <= 4) throw new Error(`connection refused (${attempt})`);
        events.push(`full read ${attempt}`);
        synced();
        if (attempt === 1) throw new Error('watch closed');
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      },
    });
    await session.firstAttempt;
    await expect.poll(() => events).toEqual(['full read 1', 'full read 5']);
    stop.abort();
    await session.done;
    const errors = lines.filter((l) => l.level === 50);
    expect(errors.map((l) => l.msg)).toEqual([
      'AFF_ERR_PROXY_PROVIDER_UNREACHABLE: cannot read the configuration from etcd://127.0.0.1:2379: watch closed The last good configuration stays in service; retrying with backoff. Check the endpoint and what it answers.',
    ]);
    expect(lines.filter((l) => l.msg.includes('reachable again'))).toHaveLength(1);
    expect(lines.filter((l) => l.msg.includes('still unreachable'))).toHaveLength(3);
    expect(attempt).toBe(5);
  });

  it('settles firstAttempt when the first attempt fails, so the proxy starts without the backend', async () => {
    const { logger } = capture();
    const stop = new AbortController();
    const session = startBackendSession({
      backend: 'http://down.invalid/',
      logger,
      signal: stop.signal,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      attempt: async () => {
        throw new Error('ENOTFOUND');
      },
    });
    await session.firstAttempt;
    stop.abort();
    await session.done;
  });
});

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with up to half of it random', () => {
    const backoff = { initialMs: 100, maxMs: 1000 };
    for (const [failures, full] of [
      [1, 100],
      [2, 200],
      [3, 400],
      [4, 800],
      [5, 1000],
      [12, 1000],
    ] as const) {
      const delay = backoffDelay(backoff, 2, failures);
      expect(delay).toBeGreaterThanOrEqual(full / 2);
      expect(delay).toBeLessThanOrEqual(full);
    }
  });
});
