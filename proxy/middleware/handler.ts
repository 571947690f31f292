/**
 * The one shape every request handler has: routers, middlewares, services and the forwarding
 * step. It is Node's own `(req, res)` plus a per-request context, so a handler can be a plain
 * function and chaining costs one call per layer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';

export interface RequestContext {
  /** `process.hrtime.bigint()` when the request arrived. */
  readonly start: bigint;
  readonly entryPoint: string;
  /** The TCP peer, without the IPv4-mapped IPv6 prefix. */
  readonly clientAddress: string;
  /** Whether X-Forwarded-* from this peer are kept (forwardedHeaders.trustedIPs or insecure). */
  readonly trustForwarded: boolean;
  /** The path the router matched and the service forwards (sanitized), without the query. */
  path: string;
  /** The query string including its `?`, or ''. */
  search: string;
  routerName: string | undefined;
  serviceName: string | undefined;
  /** The upstream server the request went to. */
  serviceUrl: string | undefined;
  /** The status the upstream answered, 0 when it did not answer. */
  originStatus: number;
  originContentSize: number;
  /** When the upstream request started and its response ended. */
  originStart: bigint;
  originEnd: bigint;
  retryAttempts: number;
  /**
   * The user an authentication middleware admitted (basicAuth, digestAuth, or forwardAuth's
   * `headerField`), for the access log's ClientUsername.
   */
  clientUsername: string | undefined;
  /** Set for a WebSocket (or other) upgrade: the bytes that came after the request head. */
  upgradeHead: Buffer | undefined;
  /** False when the router turned access logs off (`observability.accessLogs: false`). */
  accessLog: boolean;
  /** A request body that replaces `req` as the body source (a mirror buffers it, for instance). */
  body: Buffer | Readable | undefined;
  /**
   * X-Forwarded-* headers (lower-case) that a middleware, not the client, put on the request,
   * such as stripPrefix's X-Forwarded-Prefix: the forwarder keeps these even from an untrusted
   * peer, whose own X-Forwarded-* it drops.
   */
  forwardedByProxy: string[] | undefined;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, ctx: RequestContext) => void;

export function newRequestContext(
  entryPoint: string,
  clientAddress: string,
  trustForwarded: boolean,
  path: string,
  search: string,
  upgradeHead?: Buffer,
): RequestContext {
  return {
    start: process.hrtime.bigint(),
    entryPoint,
    clientAddress,
    trustForwarded,
    path,
    search,
    routerName: undefined,
    serviceName: undefined,
    serviceUrl: undefined,
    originStatus: 0,
    originContentSize: 0,
    originStart: 0n,
    originEnd: 0n,
    retryAttempts: 0,
    clientUsername: undefined,
    upgradeHead,
    accessLog: true,
    body: undefined,
    forwardedByProxy: undefined,
  };
}
