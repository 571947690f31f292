/**
 * What a webhook handler puts on the queue: the verified delivery, keyed by GitHub's delivery
 * id, plus the key that decides ordering (one repository's events run one after another).
 */
export interface QueuedEvent {
  /** GitHub's `X-GitHub-Delivery` id; a delivery seen twice is processed once. */
  deliveryId: string;
  /** The webhook event name, e.g. `pull_request`. */
  name: string;
  /** The webhook payload, as GitHub sent it. */
  payload: unknown;
  /** `owner/repo` (or `installation:<id>` for events without a repository); the ordering key. */
  orderingKey: string;
}

export type EventHandler = (event: QueuedEvent) => Promise<void>;

/** Derives the ordering key from a webhook payload: the repository, else the installation. */
export function orderingKeyOf(payload: unknown): string {
  const record = (payload ?? {}) as {
    repository?: { full_name?: unknown };
    installation?: { id?: unknown };
  };
  const fullName = record.repository?.full_name;
  if (typeof fullName === 'string' && fullName.length > 0) return fullName.toLowerCase();
  const installation = record.installation?.id;
  return typeof installation === 'number' ? `installation:${installation}` : 'global';
}
