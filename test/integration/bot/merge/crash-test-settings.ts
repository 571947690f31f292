/** Short leases for the crash test, shared by the test and its worker processes. */
export const crashTestSettings = {
  queue: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 },
  merge: { lockTtlMs: 2_000, sweepIntervalMs: 2_000, mergeablePollMs: [100, 200] },
} as const;
