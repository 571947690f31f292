/**
 * What every route and background job of the forge receives: the state store, where the git
 * repositories live, the public URLs, and the sinks for side effects (webhooks, CI).
 */
import type { Logger } from '../log/logger.js';
import type { Principal } from './auth/principal.js';
import type { BareRepository } from './git/bare-repository.js';
import type { DeliveryRecord, RepoRecord } from './state/model.js';
import type { StateStore } from './state/store.js';

export interface ForgeUrls {
  /** REST base URL, GHE shape: `http://127.0.0.1:N/api/v3`. */
  api: string;
  /** Web and git base URL: `http://127.0.0.1:N`. */
  web: string;
}

/** Receives webhook events; the dispatcher fans them out to the installations that cover the repo. */
export interface EventSink {
  emit(
    event: string,
    payload: Record<string, unknown>,
    repo: RepoRecord | null,
    installationId?: number,
  ): void;
  /** Sends a logged delivery again, as `POST /app/hook/deliveries/{id}/attempts` asks. */
  redeliver(delivery: DeliveryRecord): void;
}

/** Told about every push so it can run the repository's CI rule. */
export interface PushObserver {
  pushed(repo: RepoRecord, ref: string, sha: string): void;
}

export interface ForgeContext {
  store: StateStore;
  urls: ForgeUrls;
  git(repo: RepoRecord): BareRepository;
  events: EventSink;
  pushes: PushObserver;
  logger: Logger;
  now(): Date;
}

export interface ApiRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  principal: Principal;
  headers: Record<string, string | string[] | undefined>;
}

export interface ApiResponse {
  status: number;
  /** JSON-encoded, except a Buffer, which is sent as is (raw media types). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  handle(ctx: ForgeContext, req: ApiRequest): Promise<ApiResponse> | ApiResponse;
}
