/**
 * Sorts a failed release step: a transient GitHub failure (5xx, rate limit, network) is handed
 * back to the event queue, which retries the whole event in order with backoff; anything else
 * is final and gets reported on the issue or pull request.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import { defaultRetryPolicy, retryDecision } from '../queue/retry-decision.js';

/** The error to rethrow so the queue retries, or undefined when retrying cannot help. */
export function transientFailure(error: unknown): unknown {
  // The release client wraps API failures; the queue reads status and headers off the original.
  const original = error instanceof AffineurError && error.cause !== undefined ? error.cause : error;
  return retryDecision(original, 1, defaultRetryPolicy, Date.now()).retry ? original : undefined;
}
