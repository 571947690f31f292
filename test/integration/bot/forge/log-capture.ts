/**
 * A logger whose JSON lines the test can read and wait on. The bot's own log lines are the
 * contract tests observe: `event handled` (with `requests`), `event failed`, and one line per
 * action in dry-run mode.
 */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../../../src/log/logger.js';

export interface LogLine {
  msg: string;
  level: number;
  deliveryId?: string;
  requests?: number;
  calls?: string[];
  [key: string]: unknown;
}

export class LogCapture {
  readonly lines: LogLine[] = [];
  readonly log: Logger;
  private readonly waiters: { match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  private partial = '';

  constructor() {
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.take(chunk.toString('utf8'));
        done();
      },
    });
    this.log = createLogger({ level: 'info', format: 'json', destination: sink });
  }

  /** Resolves with the first line (past or future) that matches. */
  waitFor(match: (line: LogLine) => boolean, what: string, timeoutMs = 30_000): Promise<LogLine> {
    const seen = this.lines.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  /**
   * Resolves with the `event handled` line of a delivery (its `requests` is the API cost), and
   * rejects with the logged error when the event failed instead.
   */
  async handled(deliveryId: string, timeoutMs = 30_000): Promise<LogLine> {
    const line = await this.waitFor(
      (l) => l.deliveryId === deliveryId && (l.msg === 'event handled' || l.msg === 'event failed'),
      `delivery ${deliveryId} to be handled`,
      timeoutMs,
    );
    if (line.msg === 'event failed') {
      const err = line.err as { message?: string; stack?: string } | undefined;
      throw new Error(`delivery ${deliveryId} failed: ${err?.stack ?? err?.message ?? 'unknown error'}`);
    }
    return line;
  }

  /** Lines logged for one delivery. */
  of(deliveryId: string): LogLine[] {
    return this.lines.filter((l) => l.deliveryId === deliveryId);
  }

  private take(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.trim()) continue;
      const line = JSON.parse(part) as LogLine;
      this.lines.push(line);
      for (const waiter of [...this.waiters]) {
        if (waiter.match(line)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  }
}
