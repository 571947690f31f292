import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RetryBackoff, sleep } from '../../../../proxy/provider/backend-backoff.js';
import { OutageLog } from '../../../../proxy/provider/outage-log.js';

describe('provider outages', () => {
  it('backs off exponentially with jitter up to the cap, and starts over after a success', () => {
    const backoff = new RetryBackoff(100, 1000);
    const delays = Array.from({ length: 6 }, () => backoff.nextDelayMs());
    const steps = [100, 200, 400, 800, 1000, 1000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual((steps[i] as number) / 2);
      expect(delay).toBeLessThanOrEqual(steps[i] as number);
    });
    backoff.reset();
    expect(backoff.nextDelayMs()).toBeLessThanOrEqual(100);
  });

  it('logs an outage once however often it fails, and its end once', () => {
    const lines: string[] = [];
    const logger = pino(
      new Writable({
        write(chunk, _encoding, callback) {
          lines.push(chunk.toString());
          callback();
        },
      }),
    );
    const outage = new OutageLog(logger, 'etcd at 127.0.0.1:2379');
    for (let i = 0; i < 5; i++) outage.failed(new Error('connect ECONNREFUSED'));
    outage.recovered();
    outage.recovered();
    outage.failed(new Error('again'));
    expect(lines.filter((l) => l.includes('AFF_ERR_PROXY_PROVIDER_UNREACHABLE'))).toHaveLength(2);
    expect(lines.filter((l) => l.includes('reachable again'))).toHaveLength(1);
    expect(lines[0]).toContain(
      'cannot read the configuration from etcd at 127.0.0.1:2379: connect ECONNREFUSED',
    );
  });

  it('sleep ends at once when the provider stops', async () => {
    const stop = new AbortController();
    const pending = sleep(60_000, stop.signal);
    stop.abort();
    await expect(pending).resolves.toBeUndefined();
  });
});
