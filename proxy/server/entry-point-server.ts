/**
 * One entryPoint: a node:http server that turns each request into a RequestContext, finds its
 * router in the current routing and hands it over. The routing is one reference swapped in a
 * single assignment; a request reads it once, so it is served entirely by the routing that
 * was current when it arrived, whatever reloads happen meanwhile.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { RouteTarget } from '../builder/build-routing.js';
import type { EntryPointConfig } from '../config/static-schema.js';
import { type PeerTrust, plainPeerAddress } from '../forward/trusted-peers.js';
import type { AccessLogWriter } from '../log/access-log.js';
import { newRequestContext, type RequestContext } from '../middleware/handler.js';
import { ProxyResponse } from '../middleware/response-hooks/proxy-response.js';
import type { RouterIndex } from '../rules/router-index.js';
import { parseListenAddress } from './listen-address.js';
import { requestFacts } from './request-facts.js';
import { sanitizePath, splitRequestTarget } from './request-target.js';

export interface EntryPointServerOptions {
  name: string;
  config: EntryPointConfig;
  trust: PeerTrust;
  logger: Logger;
  accessLog: AccessLogWriter | undefined;
}

const notFoundBody = '404 page not found\n';
let requestCount = 0;

export class EntryPointServer {
  readonly name: string;
  readonly #config: EntryPointConfig;
  readonly #trust: PeerTrust;
  readonly #logger: Logger;
  readonly #accessLog: AccessLogWriter | undefined;
  readonly #server: Server<typeof IncomingMessage, typeof ProxyResponse>;
  readonly #upgraded = new Set<Duplex>();
  readonly #socketBorn = new WeakMap<Socket, number>();
  #routing: RouterIndex<RouteTarget> | undefined;
  #inFlight = 0;
  #draining = false;
  #idle: (() => void) | undefined;

  constructor(options: EntryPointServerOptions) {
    this.name = options.name;
    this.#config = options.config;
    this.#trust = options.trust;
    this.#logger = options.logger;
    this.#accessLog = options.accessLog;
    const timeouts = options.config.transport.respondingTimeouts;
    this.#server = createServer({
      maxHeaderSize: options.config.http.maxHeaderBytes,
      // llhttp in strict mode refuses CL+TE together, bad Content-Length and non-chunked TE.
      insecureHTTPParser: false,
      requireHostHeader: true,
      requestTimeout: timeouts.readTimeout,
      headersTimeout: timeouts.readTimeout > 0 ? Math.min(timeouts.readTimeout, 60_000) : 60_000,
      keepAliveTimeout: timeouts.idleTimeout,
      connectionsCheckingInterval: 1000,
      noDelay: true,
      ServerResponse: ProxyResponse,
    });
    if (options.config.transport.keepAliveMaxRequests > 0) {
      this.#server.maxRequestsPerSocket = options.config.transport.keepAliveMaxRequests;
    }
    if (options.config.transport.keepAliveMaxTime > 0) {
      this.#server.on('connection', (socket: Socket) => this.#socketBorn.set(socket, Date.now()));
    }
    this.#server.on('request', this.#onRequest);
    // Answer `Expect: 100-continue` only once routing has taken the request, so that the
    // client sends its body; undici does not support Expect towards the upstream.
    this.#server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
      res.writeContinue();
      this.#onRequest(req, res);
    });
    this.#server.on('upgrade', this.#onUpgrade);
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      // llhttp refused the request (smuggling attempt, oversized headers, timeout): answer and close.
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const status =
        error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
      const reason =
        status === 431
          ? 'Request Header Fields Too Large'
          : status === 408
            ? 'Request Timeout'
            : 'Bad Request';
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    });
  }

  /** Replaces the routing; requests already running keep the one they started with. */
  setRouting(routing: RouterIndex<RouteTarget> | undefined): void {
    this.#routing = routing;
  }

  async listen(): Promise<AddressInfo> {
    const { host, port } = parseListenAddress(this.#config.address, `entryPoints.${this.name}.address`);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) =>
        reject(
          new AffineurError(
            'AFF_ERR_PROXY_LISTEN',
            `cannot listen on ${this.#config.address}: ${error.code ?? error.message}.`,
            {
              keyPath: `entryPoints.${this.name}.address`,
              hint:
                error.code === 'EADDRINUSE'
                  ? 'Another program uses this port; pick another one.'
                  : 'Check the address.',
              cause: error,
            },
          ),
        );
      this.#server.once('error', onError);
      this.#server.listen({ port, ...(host ? { host } : {}), exclusive: !this.#config.reusePort }, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    return this.#server.address() as AddressInfo;
  }

  /**
   * Stops taking new connections and lets requests in flight finish, for at most `graceMs`;
   * what is still open then is cut. Kept-alive connections are told to close after their
   * current response.
   */
  async drain(graceMs: number): Promise<void> {
    this.#draining = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.#idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#server.closeAllConnections();
    for (const socket of this.#upgraded) socket.destroy();
    await closed;
  }

  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    this.#handle(req, res, undefined);
  };

  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.#upgraded.add(socket);
    socket.once('close', () => this.#upgraded.delete(socket));
    socket.on('error', () => socket.destroy());
    const res = new ProxyResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    this.#handle(req, res, head);
  };

  #handle(req: IncomingMessage, res: ServerResponse, upgradeHead: Buffer | undefined): void {
    const target = splitRequestTarget(req.url ?? '/');
    const path = this.#config.http.sanitizePath ? sanitizePath(target.path) : target.path;
    const client = plainPeerAddress(req.socket.remoteAddress);
    const ctx = newRequestContext(this.name, client, this.#trust(client), path, target.search, upgradeHead);
    const count = ++requestCount;
    this.#inFlight++;
    // An upgraded socket leaves the response behind: its end is the socket's close.
    const ended = upgradeHead === undefined ? res : req.socket;
    ended.once('close', () => this.#finished(req, res, ctx, count));
    if (this.#draining || this.#tooOld(req.socket as Socket)) res.setHeader('connection', 'close');
    const writeTimeout = this.#config.transport.respondingTimeouts.writeTimeout;
    if (writeTimeout > 0) {
      const timer = setTimeout(() => {
        if (!res.writableFinished) res.destroy();
      }, writeTimeout);
      res.once('close', () => clearTimeout(timer));
    }
    const route = this.#routing?.find(requestFacts(req, path, target.search));
    if (!route) {
      res.writeHead(404, {
        'content-type': 'text/plain; charset=utf-8',
        'content-length': notFoundBody.length,
      });
      res.end(notFoundBody);
      return;
    }
    ctx.routerName = route.target.routerName;
    ctx.serviceName = route.target.serviceName;
    ctx.accessLog = route.target.accessLogs;
    try {
      route.target.handler(req, res, ctx);
    } catch (error) {
      this.#logger.error({ err: error, router: ctx.routerName }, 'handler failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-length': 0 });
        res.end();
      } else res.destroy();
    }
  }

  #tooOld(socket: Socket): boolean {
    const max = this.#config.transport.keepAliveMaxTime;
    if (max <= 0) return false;
    const born = this.#socketBorn.get(socket);
    return born !== undefined && Date.now() - born >= max;
  }

  #finished(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, count: number): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#idle) this.#idle();
    if (!this.#accessLog || !ctx.accessLog) return;
    // The response did not complete: the client went away first (Traefik logs 499).
    const status = res.writableFinished || ctx.upgradeHead !== undefined ? res.statusCode : 499;
    this.#accessLog({
      req,
      res,
      ctx,
      downstreamStatus: ctx.upgradeHead && ctx.originStatus ? ctx.originStatus : status,
      requestCount: count,
    });
  }
}
