/**
 * Delivers webhooks to each app's webhook URL, the way GitHub's hookshot does: JSON body,
 * `X-GitHub-Event`, `X-GitHub-Delivery` (a GUID), `X-Hub-Signature-256` (HMAC-SHA256 of the body
 * with the app's webhook secret). Deliveries start in the order events happened and several are
 * in flight at once (GitHub does not wait for one delivery to answer before sending the next, so
 * a receiver must not rely on order either); the attempts of one delivery id never overlap. A
 * failed delivery is retried after a growing delay and every attempt lands in the delivery log
 * that `GET /app/hook/deliveries` serves.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from '../../log/logger.js';
import type { EventSink } from '../forge-context.js';
import type { DeliveryRecord, InstallationRecord, RepoRecord } from '../state/model.js';
import { appById, installationById, installationsFor } from '../state/queries.js';
import type { StateStore } from '../state/store.js';
import { nodeId } from '../state/timestamp.js';

export interface DispatcherOptions {
  store: StateStore;
  logger: Logger;
  now(): Date;
  /** Delays before each retry of a failed delivery; its length is the number of retries. */
  retryDelaysMs?: number[];
  /** How many deliveries the log keeps. */
  logSize?: number;
  /** How many deliveries may be in flight at once. */
  concurrency?: number;
}

interface Pending {
  guid: string;
  appId: number;
  installationId: number | null;
  repositoryId: number | null;
  event: string;
  action: string | null;
  payload: Record<string, unknown>;
  attempt: number;
  redelivery: boolean;
}

/** Events an app receives whether or not it subscribed, as on GitHub. */
const alwaysDelivered = new Set(['installation', 'installation_repositories']);

export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class WebhookDispatcher implements EventSink {
  private readonly options: DispatcherOptions;
  private readonly queue: Pending[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Delivery ids with an attempt in flight: a redelivery waits for the attempt before it. */
  private readonly busyGuids = new Set<string>();
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: DispatcherOptions) {
    this.options = options;
  }

  emit(
    event: string,
    payload: Record<string, unknown>,
    repo: RepoRecord | null,
    installationId?: number,
  ): void {
    if (this.closed) return;
    const state = this.options.store.state;
    const installations: InstallationRecord[] = installationId
      ? [installationById(state, installationId)].filter((i): i is InstallationRecord => i !== undefined)
      : repo
        ? installationsFor(state, repo)
        : [];
    for (const installation of installations) {
      const app = appById(state, installation.appId);
      if (!app?.webhookUrl) continue;
      if (!alwaysDelivered.has(event) && !app.events.includes(event)) continue;
      this.queue.push({
        guid: randomUUID(),
        appId: app.id,
        installationId: installation.id,
        repositoryId: repo?.id ?? null,
        event,
        action: typeof payload.action === 'string' ? payload.action : null,
        // Installation events carry the whole installation; every other event a reference to it.
        payload: {
          installation: { id: installation.id, node_id: nodeId('Installation', installation.id) },
          ...payload,
        },
        attempt: 1,
        redelivery: false,
      });
    }
    this.pump();
  }

  /** Sends a logged delivery again (`POST /app/hook/deliveries/{id}/attempts`). */
  redeliver(delivery: DeliveryRecord): void {
    this.queue.push({
      guid: delivery.guid,
      appId: delivery.appId,
      installationId: delivery.installationId,
      repositoryId: delivery.repositoryId,
      event: delivery.event,
      action: delivery.action,
      payload: delivery.request.payload as Record<string, unknown>,
      attempt: 1,
      redelivery: true,
    });
    this.pump();
  }

  /** Resolves when nothing is queued or in flight (scheduled retries do not count). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.queue.length = 0;
    await Promise.all([...this.inFlight]);
  }

  /** Starts queued deliveries, oldest first, while there is room. */
  private pump(): void {
    const limit = this.options.concurrency ?? 8;
    while (!this.closed && this.inFlight.size < limit) {
      const index = this.queue.findIndex((p) => !this.busyGuids.has(p.guid));
      if (index < 0) break;
      const [next] = this.queue.splice(index, 1);
      if (!next) break;
      this.busyGuids.add(next.guid);
      const run: Promise<void> = this.deliver(next)
        .catch((error: unknown) =>
          this.options.logger.error({ err: error, event: next.event }, 'webhook delivery crashed'),
        )
        .finally(() => {
          this.busyGuids.delete(next.guid);
          this.inFlight.delete(run);
          this.pump();
          if (this.inFlight.size === 0 && (this.queue.length === 0 || this.closed)) this.wakeIdleWaiters();
        });
      this.inFlight.add(run);
    }
  }

  private wakeIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async deliver(pending: Pending): Promise<void> {
    const { store, logger } = this.options;
    const app = appById(store.state, pending.appId);
    if (!app?.webhookUrl) return;
    const body = JSON.stringify(pending.payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/affineur-forge',
      'x-github-event': pending.event,
      'x-github-delivery': pending.guid,
      'x-github-hook-id': String(app.id),
      'x-github-hook-installation-target-id': String(app.id),
      'x-github-hook-installation-target-type': 'integration',
      'x-hub-signature': `sha1=${createHmac('sha1', app.webhookSecret).update(body).digest('hex')}`,
      'x-hub-signature-256': signPayload(app.webhookSecret, body),
    };
    const started = this.options.now();
    let statusCode = 0;
    let statusText = 'Connection refused';
    let responseBody: string | null = null;
    let responseHeaders: Record<string, string> = {};
    try {
      const response = await fetch(app.webhookUrl, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(10_000),
      });
      statusCode = response.status;
      statusText = response.ok ? 'OK' : `Invalid HTTP Response: ${response.status}`;
      responseBody = await response.text();
      responseHeaders = Object.fromEntries(response.headers.entries());
    } catch (error) {
      statusText =
        error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'Connection refused';
    }
    const ok = statusCode >= 200 && statusCode < 300;
    const record: DeliveryRecord = {
      id: store.nextId(),
      guid: pending.guid,
      appId: app.id,
      event: pending.event,
      action: pending.action,
      installationId: pending.installationId,
      repositoryId: pending.repositoryId,
      url: app.webhookUrl,
      deliveredAt: started.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      redelivery: pending.redelivery || pending.attempt > 1,
      duration: (this.options.now().getTime() - started.getTime()) / 1000,
      status: statusText,
      statusCode,
      attempts: pending.attempt,
      request: { headers, payload: pending.payload },
      response: { headers: responseHeaders, payload: responseBody },
    };
    store.logDelivery(record, this.options.logSize ?? 1000);
    if (ok) return;
    logger.warn({ event: pending.event, statusCode, attempt: pending.attempt }, 'webhook delivery failed');
    const delays = this.options.retryDelaysMs ?? [1000, 5000, 30_000];
    const delay = delays[pending.attempt - 1];
    if (delay === undefined || this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.queue.push({ ...pending, attempt: pending.attempt + 1 });
      this.pump();
    }, delay);
    this.timers.add(timer);
  }
}
