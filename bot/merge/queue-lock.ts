/**
 * One worker at a time per merge queue (a repository and base branch), across every bot process.
 *
 * Events of one repository already run one at a time on the event queue (see
 * bot/queue/bullmq-queue.ts), so in the normal case this lock is never contended. It is the
 * second line of defence for the case the event queue cannot rule out: a worker that stalls
 * (a long GC pause, a network partition) long enough for BullMQ to hand its event to another
 * worker while it is still running. Two workers then race on one queue; the lock makes the
 * second one stand down, and the first one notices that it lost the lock before its next write.
 *
 * A worker that finds the lock taken does not wait: it leaves a "run again" mark, and the holder
 * runs its pass once more before letting go, so the newer event's news is never lost.
 */
export interface QueueLock {
  /**
   * Runs `work` while holding the lock `key`, again as long as others asked for a rerun meanwhile.
   * Resolves to 'deferred' without running when another worker holds the lock (it will rerun).
   */
  run(key: string, work: (held: HeldLock) => Promise<void>): Promise<'ran' | 'deferred'>;
  close(): Promise<void>;
}

export interface HeldLock {
  /** Throws `LockLostError` when the lock expired or was taken over; call before each write. */
  assertHeld(): void;
}

export class LockLostError extends Error {
  constructor(key: string) {
    super(`lost the merge queue lock ${key} (another worker took over); stopping this pass`);
    this.name = 'LockLostError';
  }
}

/** Bounds the reruns of one holder, so a storm of events cannot keep one worker forever. */
export const maxRerunsPerHold = 5;

/** The lock for a process that is alone (no Redis): same contract, in memory. */
export function createInMemoryQueueLock(): QueueLock {
  const held = new Map<string, { rerun: boolean }>();
  return {
    async run(key, work) {
      const existing = held.get(key);
      if (existing) {
        existing.rerun = true;
        return 'deferred';
      }
      const entry = { rerun: false };
      held.set(key, entry);
      try {
        for (let round = 0; round <= maxRerunsPerHold; round++) {
          entry.rerun = false;
          await work({ assertHeld() {} });
          if (!entry.rerun) break;
        }
      } finally {
        held.delete(key);
      }
      return 'ran';
    },
    async close() {},
  };
}
