/** Settings shared by the kill test and its worker process: short locks so a dead worker is noticed quickly. */
export const killTestQueueSettings = {
  partitions: 2,
  lockDurationMs: 1_500,
  stalledIntervalMs: 500,
} as const;

export const startedListKey = (prefix: string) => `${prefix}:test:started`;
