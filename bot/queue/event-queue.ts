import type { EventHandler, QueuedEvent } from './queued-event.js';

/**
 * The contract both queue implementations keep (test/integration/bot/queue runs one suite
 * against both):
 * - events with the same ordering key are handled one at a time, in the order enqueued;
 * - a delivery id seen before is not handled again;
 * - GitHub 5xx and rate-limit failures are retried with backoff, honouring `retry-after`;
 * - (BullMQ only) a worker that dies mid-event loses nothing: the event runs again elsewhere.
 */
export interface EventQueue {
  readonly kind: 'bullmq' | 'in-process';
  /** Resolves once the event is stored; `duplicate` is true when the delivery id was already known. */
  enqueue(event: QueuedEvent): Promise<{ duplicate: boolean }>;
  /** Starts handling events. Call once. */
  process(handler: EventHandler): Promise<void>;
  health(): Promise<QueueHealth>;
  /** Stops taking events, lets the running ones finish, and releases connections. */
  close(): Promise<void>;
}

export interface QueueHealth {
  ok: boolean;
  kind: EventQueue['kind'];
  /** Events stored and not finished yet (waiting, delayed or running). */
  pending: number;
  /** Why `ok` is false, when it is. */
  problem?: string;
}
