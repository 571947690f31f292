/**
 * The part every provider with a remote backend (an HTTP endpoint, etcd, Redis, the Docker
 * Engine) needs: run attempts against the backend for as long as the provider runs, and when
 * the backend is lost, keep the last configuration (by emitting nothing), log the outage once,
 * retry with exponential backoff, and log the recovery once.
 *
 * An attempt is the provider's own code. It must read the backend's WHOLE configuration, emit
 * it, then call `synced()`: that full read is the resynchronisation after an outage, so nothing
 * missed while disconnected is lost. Two shapes fit:
 *   - polling (HTTP, Redis without notifications): one read per attempt, resolving at once; the
 *     session waits `everyMs` and runs the next;
 *   - watching (etcd, Docker events): a full read, `synced()`, then follow changes until the
 *     connection drops (reject) or `signal` aborts (resolve).
 * A rejection is an outage; a resolution while running starts the next attempt.
 */
import type { Logger } from '../../src/log/logger.js';
import { type BackoffOptions, backoffDelay, sleep } from './backend-backoff.js';
import { OutageLog } from './outage-log.js';

export interface BackendAttempt {
  /** Aborts when the provider stops; pass it to every request. */
  signal: AbortSignal;
  /** The whole configuration was read and emitted: ends an outage, resets the backoff. */
  synced(): void;
}

export interface BackendSessionOptions {
  /** The backend, for logs and errors: an endpoint without credentials. */
  backend: string;
  logger: Logger;
  /** Stops the session (the provider stops). */
  signal: AbortSignal;
  attempt(context: BackendAttempt): Promise<void>;
  /** Polling: the wait after an attempt that resolved, before the next one. Watching: leave out. */
  everyMs?: number;
  backoff: BackoffOptions;
}

export interface BackendSession {
  /** Settles once the first attempt has either synced or failed (never rejects). */
  firstAttempt: Promise<void>;
  /** Settles when the session has stopped. */
  done: Promise<void>;
}

export function startBackendSession(options: BackendSessionOptions): BackendSession {
  const { logger, signal, backend } = options;
  const multiplier = options.backoff.multiplier ?? 2;
  let firstSettled: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    firstSettled = resolve;
  });
  const outage = new OutageLog(logger, backend);

  const synced = () => {
    outage.recovered();
    firstSettled();
  };

  const failed = (error: unknown) => {
    outage.failed(error);
    firstSettled();
  };

  const done = (async () => {
    while (!signal.aborted) {
      let ok = true;
      try {
        await options.attempt({ signal, synced });
      } catch (error) {
        if (signal.aborted) break;
        ok = false;
        failed(error);
      }
      if (signal.aborted) break;
      firstSettled();
      const wait = ok ? (options.everyMs ?? 0) : backoffDelay(options.backoff, multiplier, outage.failures);
      await sleep(wait, signal);
    }
    firstSettled();
  })();
  return { firstAttempt, done };
}
