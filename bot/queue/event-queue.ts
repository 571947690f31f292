import type { EventHandler, QueuedEvent } from './queued-event.js';

/**
 * The contract both queue implementations keep (test/integration/bot/queue runs one suite
 * against both):
 * - events with the same ordering key are handled one at a time, in the order enqueued;
 * - a delivery id seen before is not handled again;
 * - GitHub 5xx and rate-limit failures are retried with backoff, honouring `retry-after`;
 * - (BullMQ only) a worker that dies mid-event loses nothing: the event runs again elsewhere;
 * - an event enqueued with `delayMs` is handled once that delay has passed, not before, and (BullMQ
 *   only) it survives a restart: it is stored in Redis, not held by a timer. The merge queue's
 *   retries and CI timeouts are such delayed events, so they happen on time.
 */
export interface EventQueue {
  readonly kind: 'bullmq' | 'in-process';
  /** Resolves once the event is stored; `duplicate` is true when the delivery id was already known. */
  enqueue(event: QueuedEvent, options?: EnqueueOptions): Promise<{ duplicate: boolean }>;
  /** Starts handling events. Call once. */
  process(handler: EventHandler): Promise<void>;
  health(): Promise<QueueHealth>;
  /** Stops taking events, lets the running ones finish, and releases connections. */
  close(): Promise<void>;
}

export interface EnqueueOptions {
  /** Handle the event no earlier than this many milliseconds from now. */
  delayMs?: number;
}

export interface QueueHealth {
  ok: boolean;
  kind: EventQueue['kind'];
  /** Events stored and not finished yet that are due (waiting or running). */
  pending: number;
  /** Events stored for later (`delayMs`), not due yet. */
  delayed: number;
  /** Why `ok` is false, when it is. */
  problem?: string;
}
