/**
 * Forwards one request to one upstream server through undici, streaming both ways: request
 * body chunks go up as the client sends them, response chunks go down as they arrive, and a
 * slow client pauses the upstream read (backpressure) instead of growing a buffer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { RequestContext } from '../middleware/handler.js';
import { stripResponseHopByHop, upstreamRequestHeaders } from './upstream-request-headers.js';

export interface ForwardTarget {
  /** `http://host:port`, the key undici pools connections by. */
  origin: string;
  /** The server URL's path, prefixed when preservePath is on; '' otherwise. */
  basePath: string;
  /** `host:port` of the server, sent as Host when passHostHeader is off. */
  host: string;
  /** The URL as configured, for access logs. */
  url: string;
  dispatcher: Dispatcher;
  passHostHeader: boolean;
  keepConnectionHeaders: ReadonlySet<string>;
  /**
   * `responseForwarding.flushInterval` in ms: how long body chunks of a response with a known
   * length may wait to leave together. Negative: every chunk leaves at once.
   */
  flushIntervalMs: number;
}

/** What happened upstream, for passive health checks and load-balancer bookkeeping. */
export type ForwardOutcome = 'ok' | 'failed';

export function forwardToServer(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
  target: ForwardTarget,
  done?: (outcome: ForwardOutcome) => void,
): void {
  ctx.serviceUrl = target.url;
  ctx.originStart = process.hrtime.bigint();
  const upgrade = ctx.upgradeHead !== undefined;
  const headers = upstreamRequestHeaders(req, {
    clientAddress: ctx.clientAddress,
    trustForwarded: ctx.trustForwarded,
    passHostHeader: target.passHostHeader,
    upstreamHost: target.host,
    keepConnectionHeaders: target.keepConnectionHeaders,
    upgrade,
    forwardedByProxy: ctx.forwardedByProxy,
  });
  const path = joinPath(target.basePath, ctx.path) + ctx.search;
  const handler = upgrade
    ? new UpgradeHandler(req, res, ctx, done)
    : new ResponseRelay(res, ctx, req.method === 'HEAD', target.flushIntervalMs, done);
  target.dispatcher.dispatch(
    {
      origin: target.origin,
      path,
      method: req.method ?? 'GET',
      headers,
      body: upgrade ? null : (ctx.body ?? (hasBody(req) ? req : null)),
      ...(upgrade ? { upgrade: req.headers.upgrade ?? 'websocket' } : {}),
    },
    handler,
  );
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

function joinPath(base: string, path: string): string {
  if (base === '' || base === '/') return path;
  return base.endsWith('/') ? base + path.slice(1) : base + path;
}

/** Maps an upstream failure to what the client sees: 504 for timeouts, 502 for the rest. */
export function failureStatus(error: Error): number {
  const code = (error as { code?: string }).code;
  return code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT'
    ? 504
    : 502;
}

export function sendError(res: ServerResponse, status: number): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = status === 504 ? 'Gateway Timeout' : status === 503 ? 'Service Unavailable' : 'Bad Gateway';
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** Above this many buffered bytes, coalesced chunks leave without waiting for the interval. */
const flushAtBytes = 16 * 1024;

class ResponseRelay implements Dispatcher.DispatchHandler {
  readonly #res: ServerResponse;
  readonly #ctx: RequestContext;
  readonly #head: boolean;
  readonly #flushIntervalMs: number;
  readonly #done: ((outcome: ForwardOutcome) => void) | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #finished = false;
  #bodyStarted = false;
  /** Whether this response's chunks may be held back for flushInterval (see onResponseStart). */
  #coalesce = false;
  #chunks = 0;
  #flushTimer: NodeJS.Timeout | undefined;
  #drainListener = false;

  constructor(
    res: ServerResponse,
    ctx: RequestContext,
    head: boolean,
    flushIntervalMs: number,
    done: ((outcome: ForwardOutcome) => void) | undefined,
  ) {
    this.#res = res;
    this.#ctx = ctx;
    this.#head = head;
    this.#flushIntervalMs = flushIntervalMs;
    this.#done = done;
    // The client leaving first aborts the upstream request: no work for nobody.
    res.once('close', () => {
      this.#stopCoalescing();
      if (!this.#finished) this.#controller?.abort(new Error('the client closed the connection'));
    });
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#res.destroyed) controller.abort(new Error('the client closed the connection'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    statusMessage?: string,
  ): void {
    if (statusCode < 200) return;
    this.#ctx.originStatus = statusCode;
    stripResponseHopByHop(headers);
    const res = this.#res;
    if (res.destroyed) return;
    if (statusMessage) res.statusMessage = statusMessage;
    // A sticky cookie set by the load balancer must join the server's own cookies, not lose to them.
    const sticky = res.hasHeader('set-cookie') ? res.getHeader('set-cookie') : undefined;
    if (sticky !== undefined) headers['set-cookie'] = [...asList(headers['set-cookie']), ...asList(sticky)];
    // As Go's reverse proxy: a stream (server-sent events, or no announced length) is relayed
    // chunk by chunk; a response of known length may gather its chunks for flushInterval.
    this.#coalesce =
      this.#flushIntervalMs >= 0 &&
      headers['content-length'] !== undefined &&
      !String(headers['content-type'] ?? '').startsWith('text/event-stream');
    res.writeHead(statusCode, headers as Record<string, string | string[]>);
    // A long-polling or streaming upstream may send its first byte much later, so the head must
    // not wait for the body. But not synchronously: undici parses a small response (head, body,
    // end) in one go, and deferring to a microtask lets the head leave with the body in a
    // single write instead of two.
    if (!this.#head) {
      queueMicrotask(() => {
        if (!this.#bodyStarted && !res.destroyed) res.flushHeaders();
      });
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#bodyStarted = true;
    this.#ctx.originContentSize += chunk.length;
    const res = this.#res;
    // The first chunk leaves at once (with the head); later ones are corked together until
    // the interval ends or enough bytes wait, so a body arriving in many small pieces costs
    // fewer writes, as with Traefik's flushInterval.
    if (this.#coalesce && ++this.#chunks >= 2 && !res.writableCorked) this.#cork();
    if (!res.write(chunk)) this.#waitForDrain(controller);
    if (res.writableCorked && res.writableLength >= flushAtBytes) this.#uncork();
  }

  /** Pauses the upstream until the client catches up (listening only once it has to). */
  #waitForDrain(controller: Dispatcher.DispatchController): void {
    controller.pause();
    if (this.#drainListener) return;
    this.#drainListener = true;
    this.#res.on('drain', () => controller.resume());
  }

  #cork(): void {
    this.#res.cork();
    if (this.#flushIntervalMs <= 0) return; // 0: no timer, only a full buffer or the end flush
    if (this.#flushTimer === undefined) {
      this.#flushTimer = setTimeout(() => this.#uncork(), this.#flushIntervalMs);
    } else this.#flushTimer.refresh();
  }

  #uncork(): void {
    if (this.#res.writableCorked) this.#res.uncork();
  }

  #stopCoalescing(): void {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    while (this.#res.writableCorked) this.#res.uncork();
  }

  onResponseEnd(
    _controller: Dispatcher.DispatchController,
    trailers: Record<string, string | string[] | undefined>,
  ): void {
    this.#finished = true;
    this.#bodyStarted = true;
    this.#ctx.originEnd = process.hrtime.bigint();
    const res = this.#res;
    this.#stopCoalescing();
    if (hasAnyKey(trailers)) res.addTrailers(trailers as Record<string, string | string[]>);
    res.end();
    this.#done?.('ok');
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#finished = true;
    this.#ctx.originEnd = process.hrtime.bigint();
    const res = this.#res;
    this.#stopCoalescing();
    if (res.destroyed) {
      // The client left: not the server's fault, so no passive health penalty.
      this.#done?.('ok');
      return;
    }
    this.#done?.('failed');
    sendError(res, failureStatus(error));
  }
}

/**
 * An upgrade (WebSocket) through undici: once the server answers 101, the client socket and the
 * upstream socket are joined and bytes flow both ways untouched.
 */
class UpgradeHandler implements Dispatcher.DispatchHandler {
  readonly #req: IncomingMessage;
  readonly #res: ServerResponse;
  readonly #ctx: RequestContext;
  readonly #done: ((outcome: ForwardOutcome) => void) | undefined;
  #settled = false;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    ctx: RequestContext,
    done: ((outcome: ForwardOutcome) => void) | undefined,
  ) {
    this.#req = req;
    this.#res = res;
    this.#ctx = ctx;
    this.#done = done;
  }

  onRequestStart(): void {}

  onRequestUpgrade(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
    upstream: Duplex,
  ): void {
    this.#ctx.originStatus = statusCode;
    const client = this.#req.socket;
    this.#res.detachSocket(client);
    let head = `HTTP/1.1 ${statusCode} Switching Protocols\r\n`;
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) head += `${name}: ${v}\r\n`;
    }
    client.write(`${head}\r\n`);
    const upgradeHead = this.#ctx.upgradeHead;
    if (upgradeHead && upgradeHead.length > 0) upstream.write(upgradeHead);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('error', close).on('close', close);
    client.on('error', close).on('close', close);
    upstream.pipe(client);
    client.pipe(upstream);
    this.#done?.('ok');
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number): void {
    this.#ctx.originStatus = statusCode;
  }

  onResponseData(): void {}

  onResponseEnd(): void {
    // The server refused the upgrade with an ordinary response (undici 7 ends it like any
    // other, without an error): the client must not wait for a switch that will not come.
    if (this.#settled) return;
    this.#settled = true;
    this.#done?.('failed');
    sendError(this.#res, 502);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#done?.('failed');
    sendError(this.#res, this.#ctx.originStatus >= 200 ? 502 : failureStatus(error));
  }
}

/**
 * Sends a copy of a request and throws the response away (mirroring). Mirrors never affect
 * the client: errors are swallowed, and a slow mirror has its own connection.
 */
export function forwardCopy(
  req: IncomingMessage,
  ctx: RequestContext,
  target: ForwardTarget,
  body: Buffer | null,
): void {
  const headers = upstreamRequestHeaders(req, {
    clientAddress: ctx.clientAddress,
    trustForwarded: ctx.trustForwarded,
    passHostHeader: target.passHostHeader,
    upstreamHost: target.host,
    keepConnectionHeaders: target.keepConnectionHeaders,
    upgrade: false,
    forwardedByProxy: ctx.forwardedByProxy,
  });
  target.dispatcher.dispatch(
    {
      origin: target.origin,
      path: joinPath(target.basePath, ctx.path) + ctx.search,
      method: req.method ?? 'GET',
      headers: body === null ? withoutBodyHeaders(headers) : headers,
      body,
    },
    discardResponse,
  );
}

function withoutBodyHeaders(headers: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < headers.length; i += 2) {
    const lower = (headers[i] as string).toLowerCase();
    if (lower === 'content-length' || lower === 'content-type') continue;
    out.push(headers[i] as string, headers[i + 1] as string);
  }
  return out;
}

const discardResponse: Dispatcher.DispatchHandler = {
  onRequestStart() {},
  onResponseStart() {},
  onResponseData() {},
  onResponseEnd() {},
  onResponseError() {},
};

function asList(value: string | string[] | number | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

function hasAnyKey(object: object): boolean {
  for (const _ in object) return true;
  return false;
}
