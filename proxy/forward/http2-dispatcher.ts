/**
 * Forwarding to `h2c://` servers (HTTP/2 over cleartext, by prior knowledge) with node:http2.
 * gRPC lives in HTTP/2 trailers, and undici's HTTP/2 client completes a response on its 'end'
 * and drops trailers that come with END_STREAM (undici 7.30), so this small dispatcher speaks
 * the part of undici's Dispatcher interface the forwarder uses (dispatch with a handler and a
 * pause/resume/abort controller) over one HTTP/2 session per origin, and hands the trailers on.
 */
import {
  type ClientHttp2Session,
  type ClientHttp2Stream,
  connect,
  constants,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
} from 'node:http2';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** Headers HTTP/2 forbids on a request (RFC 9113 8.2.2); `host` becomes `:authority`. */
const connectionSpecific = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
]);

export interface Http2DispatcherOptions {
  connectTimeoutMs: number;
  idleTimeoutMs: number;
  /** Ping an idle session this often to notice a dead peer (readIdleTimeout); 0: never. */
  pingIntervalMs: number;
}

export class Http2Dispatcher {
  readonly #sessions = new Map<string, ClientHttp2Session>();
  readonly #options: Http2DispatcherOptions;
  #closed = false;

  constructor(options: Http2DispatcherOptions) {
    this.#options = options;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const origin = String(options.origin);
    const headers: OutgoingHttpHeaders = {
      ':method': options.method,
      ':path': options.path,
      ':scheme': 'http',
    };
    const flat = (options.headers ?? []) as string[];
    for (let i = 0; i < flat.length; i += 2) {
      const name = (flat[i] as string).toLowerCase();
      const value = flat[i + 1] as string;
      if (name === 'host') headers[':authority'] = value;
      if (connectionSpecific.has(name) || (name === 'te' && value !== 'trailers')) continue;
      const existing = headers[name];
      headers[name] =
        existing === undefined
          ? value
          : [...(Array.isArray(existing) ? existing : [String(existing)]), value];
    }
    headers[':authority'] ??= new URL(origin).host;
    const body = options.body as Buffer | Readable | null | undefined;
    let stream: ClientHttp2Stream;
    let finished = false;
    let trailers: IncomingHttpHeaders = {};
    const controller = {
      pause: () => stream?.pause(),
      resume: () => stream?.resume(),
      abort: (reason: Error) => {
        if (finished) return;
        finished = true;
        stream?.close(constants.NGHTTP2_CANCEL);
        handler.onResponseError?.(controller as never, reason);
      },
      aborted: false,
      paused: false,
      reason: null,
    };
    handler.onRequestStart?.(controller as never, {});
    if (finished) return true;
    try {
      stream = this.#session(origin).request(headers, { endStream: body === null || body === undefined });
    } catch (error) {
      controller.abort(error as Error);
      return true;
    }
    stream.on('response', (response) => {
      const status = Number(response[':status']);
      const plain: Record<string, string | string[] | undefined> = {};
      for (const name in response)
        if (name.charCodeAt(0) !== 0x3a) plain[name] = response[name] as string | string[];
      if (status < 200) return;
      handler.onResponseStart?.(controller as never, status, plain, '');
    });
    stream.on('data', (chunk: Buffer) => {
      if (!finished) handler.onResponseData?.(controller as never, chunk);
    });
    stream.on('trailers', (received) => {
      trailers = received;
    });
    stream.on('error', (error) => controller.abort(error));
    // Trailers may arrive after 'end'; 'close' comes after both.
    stream.on('close', () => {
      if (finished) return;
      if (stream.rstCode !== constants.NGHTTP2_NO_ERROR || !stream.readableEnded) {
        controller.abort(new Error(`HTTP/2 stream closed by the server (code ${stream.rstCode})`));
        return;
      }
      finished = true;
      handler.onResponseEnd?.(controller as never, trailers as Record<string, string | string[]>);
    });
    if (Buffer.isBuffer(body)) stream.end(body);
    else if (body) {
      body.on('error', (error) => controller.abort(error));
      body.pipe(stream);
    }
    return true;
  }

  #session(origin: string): ClientHttp2Session {
    if (this.#closed) throw new Error('the HTTP/2 upstream dispatcher is closed');
    const existing = this.#sessions.get(origin);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const session = connect(origin);
    this.#sessions.set(origin, session);
    const forget = () => {
      if (this.#sessions.get(origin) === session) this.#sessions.delete(origin);
    };
    session.on('error', forget);
    session.on('close', forget);
    session.on('goaway', forget);
    if (this.#options.connectTimeoutMs > 0) {
      const timer = setTimeout(
        () => session.destroy(new Error('HTTP/2 connect timeout')),
        this.#options.connectTimeoutMs,
      );
      session.once('connect', () => clearTimeout(timer));
      session.once('close', () => clearTimeout(timer));
    }
    if (this.#options.idleTimeoutMs > 0)
      session.setTimeout(this.#options.idleTimeoutMs, () => session.close());
    if (this.#options.pingIntervalMs > 0) {
      const timer = setInterval(() => {
        session.ping(() => undefined);
      }, this.#options.pingIntervalMs);
      timer.unref();
      session.once('close', () => clearInterval(timer));
    }
    session.unref();
    return session;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(
      [...this.#sessions.values()].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
    this.#sessions.clear();
  }

  async destroy(): Promise<void> {
    this.#closed = true;
    for (const session of this.#sessions.values()) session.destroy();
    this.#sessions.clear();
  }
}
