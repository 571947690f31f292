/**
 * What every service (loadBalancer, weighted, mirroring, failover) offers the builder and its
 * parent services: a request handler, a health status that parents can follow, and a way to
 * receive mirrored copies.
 */
import type { IncomingMessage } from 'node:http';
import type { Handler, RequestContext } from '../middleware/handler.js';

export interface Service {
  readonly name: string;
  readonly handle: Handler;
  /** False when no server (or child) can take a request. */
  healthy(): boolean;
  /** Called on every change of `healthy()`. */
  onHealthChange(listener: (healthy: boolean) => void): void;
  /** Sends a copy of the request to one server and ignores the answer. */
  mirror(req: IncomingMessage, ctx: RequestContext, body: Buffer | null): void;
  /** Stops health checks; the configuration that built this service is gone. */
  close(): void;
}

/** Keeps a status and tells listeners when it flips. */
export class HealthStatus {
  #healthy: boolean;
  readonly #listeners: ((healthy: boolean) => void)[] = [];

  constructor(initial: boolean) {
    this.#healthy = initial;
  }

  get healthy(): boolean {
    return this.#healthy;
  }

  set(healthy: boolean): void {
    if (healthy === this.#healthy) return;
    this.#healthy = healthy;
    for (const listener of this.#listeners) listener(healthy);
  }

  listen(listener: (healthy: boolean) => void): void {
    this.#listeners.push(listener);
  }
}
