/**
 * The little state the queue needs besides labels: when a PR's next retry is due, and what it
 * retries. It lives in the `external_id` of the bot's own check run on the PR head, so it is on
 * GitHub (a restarted or different bot process reads it back) and it disappears with the head it
 * was about.
 */
export interface MergeCheckState {
  /** ISO time before which a PR labelled `retry-N` is left aside. */
  retryAt?: string;
  /**
   * What failed: `ci` (a CI failure: a green CI during the interval resumes the PR at once) or
   * `merge` (the merge request itself failed: wait out the interval).
   */
  retryOn?: 'ci' | 'merge';
}

const prefix = 'affineur-merge;';

export function encodeMergeCheckState(state: MergeCheckState): string {
  if (!state.retryAt) return '';
  return `${prefix}retry-at=${state.retryAt}${state.retryOn ? `;retry-on=${state.retryOn}` : ''}`;
}

export function decodeMergeCheckState(externalId: string | undefined): MergeCheckState {
  if (!externalId?.startsWith(prefix)) return {};
  const match = /retry-at=([0-9T:.\-+Z]+)/.exec(externalId);
  if (!match?.[1] || Number.isNaN(Date.parse(match[1]))) return {};
  const on = /retry-on=(ci|merge)\b/.exec(externalId)?.[1] as MergeCheckState['retryOn'];
  return { retryAt: match[1], ...(on ? { retryOn: on } : {}) };
}
