/**
 * One entryPoint: a node:http server that turns each request into a RequestContext, finds its
 * router in the current routing and hands it over. The routing is one reference swapped in a
 * single assignment; a request reads it once, so it is served entirely by the routing that
 * was current when it arrived, whatever reloads happen meanwhile.
 *
 * As in Traefik, every entryPoint also speaks TLS: each connection is peeked first
 * (connection-acceptor.ts), and a TLS one is handshaken with the certificate and options its
 * server name asks for, then served by the same HTTP/1.1 server, or by an HTTP/2 server when
 * ALPN chose h2. HTTPS requests are routed among the routers that have TLS, plain ones among
 * those that do not. The TLS snapshot is swapped like the routing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { RouteTarget } from '../builder/build-routing.js';
import type { EntryPointConfig } from '../config/static-schema.js';
import { type PeerTrust, plainPeerAddress } from '../forward/trusted-peers.js';
import type { AccessLogWriter } from '../log/access-log.js';
import { newRequestContext, type RequestContext } from '../middleware/handler.js';
import { ProxyResponse } from '../middleware/response-hooks/proxy-response.js';
import { canonicalRequestHost } from '../rules/host-name.js';
import type { RouterIndex } from '../rules/router-index.js';
import { optionsForHost, type TlsSnapshot } from '../tls/build-tls.js';
import { SecureContexts } from '../tls/secure-contexts.js';
import type { TlsAlpnChallengeLookup } from '../tls/tls-alpn-challenges.js';
import { acceptConnection } from './connection-acceptor.js';
import { ProxyHttp2Request, ProxyHttp2Response } from './http2-exchange.js';
import { parseListenAddress } from './listen-address.js';
import { requestFacts } from './request-facts.js';
import { sanitizePath, splitRequestTarget } from './request-target.js';

export interface EntryPointServerOptions {
  name: string;
  config: EntryPointConfig;
  trust: PeerTrust;
  logger: Logger;
  accessLog: AccessLogWriter | undefined;
  /** SecureContexts shared by all entryPoints (one per certificate and TLS options). */
  secureContexts?: SecureContexts;
  /** TLS-ALPN-01 challenge certificates (ACME), consulted for ClientHellos offering acme-tls/1. */
  tlsAlpnChallenge?: TlsAlpnChallengeLookup | undefined;
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
  readonly #http2: Http2SecureServer;
  readonly #sessions = new Set<ServerHttp2Session>();
  /** Every accepted connection, whatever stage it is in (peek, handshake, HTTP/1.1, HTTP/2). */
  readonly #sockets = new Set<Socket>();
  readonly #upgraded = new Set<Duplex>();
  readonly #socketBorn = new WeakMap<Socket, number>();
  #routing: RouterIndex<RouteTarget> | undefined;
  #secureRouting: RouterIndex<RouteTarget> | undefined;
  #tls: TlsSnapshot | undefined;
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
    this.#http2 = createSecureServer({
      allowHTTP1: false,
      settings: { maxConcurrentStreams: options.config.http2.maxConcurrentStreams },
      maxSessionInvalidFrames: 1000,
      Http2ServerRequest: ProxyHttp2Request,
      Http2ServerResponse: ProxyHttp2Response,
    } as Parameters<typeof createSecureServer>[0]);
    this.#http2.on('request', this.#onRequest as never);
    this.#http2.on('session', (session: ServerHttp2Session) => {
      this.#sessions.add(session);
      session.once('close', () => {
        this.#sessions.delete(session);
        if (this.#draining && this.#inFlight === 0 && this.#sessions.size === 0) this.#idle?.();
      });
      if (timeouts.idleTimeout > 0) session.setTimeout(timeouts.idleTimeout, () => session.close());
    });
    // One cache for the server's lifetime: made per connection, it would create a SecureContext
    // (parse the key, load the chain) on every handshake.
    const contexts = options.secureContexts ?? new SecureContexts();
    // Every connection is peeked first: TLS or plain HTTP (Node's own listener serves the latter).
    const http1 = this.#server.listeners('connection')[0] as (socket: Duplex) => void;
    this.#server.removeListener('connection', http1);
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      acceptConnection(socket, {
        entryPoint: this.name,
        timeoutMs: timeouts.readTimeout > 0 ? Math.min(timeouts.readTimeout, 60_000) : 60_000,
        tls: () => this.#tls,
        contexts,
        challenges: options.tlsAlpnChallenge,
        logger: this.#logger,
        plain: (plain) => {
          http1.call(this.#server, plain);
          plain.resume();
        },
        secure: (secure: TLSSocket) => {
          // keepAliveMaxTime counts from the connection, which requests see as the TLS socket.
          const born = this.#socketBorn.get(socket);
          if (born !== undefined) this.#socketBorn.set(secure as Socket, born);
          if (this.#draining) secure.destroy();
          else if (secure.alpnProtocol === 'h2') this.#http2.emit('secureConnection', secure);
          else {
            http1.call(this.#server, secure);
            secure.resume();
          }
        },
      });
    });
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

  /**
   * Replaces the routing (plain HTTP, and HTTPS for routers with TLS); requests already running
   * keep the one they started with.
   */
  setRouting(routing: RouterIndex<RouteTarget> | undefined, secure?: RouterIndex<RouteTarget>): void {
    this.#routing = routing;
    this.#secureRouting = secure;
  }

  /** Replaces the certificates and TLS options; handshakes under way keep theirs. */
  setTls(tls: TlsSnapshot | undefined): void {
    this.#tls = tls;
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
    for (const session of this.#sessions) session.close();
    if (this.#inFlight > 0 || this.#sessions.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.#idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#server.closeAllConnections();
    for (const session of this.#sessions) session.destroy();
    for (const socket of this.#upgraded) socket.destroy();
    for (const socket of this.#sockets) socket.destroy();
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
    const secure = (req.socket as Partial<TLSSocket>).encrypted === true;
    if ((this.#draining || this.#tooOld(req.socket as Socket)) && req.httpVersionMajor < 2) {
      res.setHeader('connection', 'close');
    }
    const writeTimeout = this.#config.transport.respondingTimeouts.writeTimeout;
    if (writeTimeout > 0) {
      const timer = setTimeout(() => {
        if (!res.writableFinished) res.destroy();
      }, writeTimeout);
      res.once('close', () => clearTimeout(timer));
    }
    if (secure && this.#misdirected(req)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 20 });
      res.end('Misdirected Request\n');
      return;
    }
    const routing = secure ? this.#secureRouting : this.#routing;
    const route = routing?.find(requestFacts(req, path, target.search));
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

  /**
   * Traefik's domain-fronting guard: a request whose Host asks for other TLS options than the
   * server name its connection was made with (mTLS on one, not on the other) is refused.
   */
  #misdirected(req: IncomingMessage): boolean {
    const tls = this.#tls;
    if (!tls || (tls.hostOptions.get(this.name)?.size ?? 0) === 0) return false;
    const serverName = (req.socket as TLSSocket).servername;
    const host = canonicalRequestHost(req.headers.host ?? '');
    const sni = typeof serverName === 'string' ? serverName.toLowerCase() : undefined;
    if (sni === host) return false;
    return optionsForHost(tls, this.name, host).name !== optionsForHost(tls, this.name, sni).name;
  }

  #tooOld(socket: Socket): boolean {
    const max = this.#config.transport.keepAliveMaxTime;
    if (max <= 0) return false;
    const born = this.#socketBorn.get(socket);
    return born !== undefined && Date.now() - born >= max;
  }

  #finished(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, count: number): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#idle) {
      // HTTP/2 sessions told to close (GOAWAY) end once their streams are done.
      for (const session of this.#sessions) session.close();
      this.#idle();
    }
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
