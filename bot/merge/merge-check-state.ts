/**
 * The little state the queue needs besides labels: when a PR's next retry is due. It lives in
 * the `external_id` of the bot's own check run on the PR head, so it is on GitHub (a restarted
 * or different bot process reads it back) and it disappears with the head it was about.
 */
export interface MergeCheckState {
  /** ISO time before which a PR labelled `retry-N` is left aside. */
  retryAt?: string;
}

const prefix = 'affineur-merge;';

export function encodeMergeCheckState(state: MergeCheckState): string {
  return state.retryAt ? `${prefix}retry-at=${state.retryAt}` : '';
}

export function decodeMergeCheckState(externalId: string | undefined): MergeCheckState {
  if (!externalId?.startsWith(prefix)) return {};
  const match = /retry-at=([0-9T:.\-+Z]+)/.exec(externalId);
  return match?.[1] && !Number.isNaN(Date.parse(match[1])) ? { retryAt: match[1] } : {};
}
