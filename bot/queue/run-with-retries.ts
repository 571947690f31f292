import type { Logger } from '../../src/log/logger.js';
import type { EventHandler, QueuedEvent } from './queued-event.js';
import { type RetryPolicy, retryDecision } from './retry-decision.js';

/**
 * Runs one event, retrying transient GitHub failures in place. Retrying in place (rather than
 * re-queueing at the back) is what keeps a repository's events in order: the next event for the
 * repo waits until this one succeeds or gives up. While a rate limit lasts, waiting is what we
 * would have to do anyway.
 */
export async function runWithRetries(
  handler: EventHandler,
  event: QueuedEvent,
  policy: RetryPolicy,
  log: Pick<Logger, 'warn'>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await handler(event);
      return;
    } catch (error) {
      const decision = retryDecision(error, attempt, policy, Date.now());
      if (!decision.retry) throw error;
      log.warn(
        {
          deliveryId: event.deliveryId,
          event: event.name,
          attempt,
          delayMs: decision.delayMs,
          reason: decision.reason,
        },
        'event failed; retrying',
      );
      await sleep(decision.delayMs);
    }
  }
}
