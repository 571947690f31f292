/**
 * Lets a middleware see, change or replace the response that the handlers after it write,
 * without buffering unless it wants to: the response's writing methods are wrapped on this
 * one `res` object, and what the inner handlers write goes to a `ResponseSink` instead.
 *
 * Whatever way the inner handler writes its head (writeHead with an object or a raw list,
 * setHeader then an implicit head on write/end, flushHeaders), the sink sees one `head()` call
 * with the status on `res.statusCode` and every header on `res` (getHeader/setHeader/
 * removeHeader). The sink then writes to `out`, the methods that were in place before: the next
 * middleware out, or Node's own. Wrapping nests, so the middleware nearest the service sees
 * the response first, as Traefik's response writers do.
 */
import { type OutgoingHttpHeaders, type ServerResponse, STATUS_CODES } from 'node:http';
import { type HeadHook, type ProxyResponse, ResponseHeadView, setHeaderList } from './proxy-response.js';

export type { HeadView } from './proxy-response.js';

export interface ResponseOut {
  writeHead(status: number): void;
  write(chunk: Buffer): boolean;
  end(): void;
  flushHeaders(): void;
  addTrailers(trailers: OutgoingHttpHeaders): void;
}

export interface ResponseSink {
  /** The inner handler wrote its head; status and headers are on `res`. */
  head(res: ServerResponse, out: ResponseOut): void;
  /** A body chunk; return false to ask the writer to wait for a 'drain' event on `res`. */
  data(chunk: Buffer, out: ResponseOut): boolean;
  /** The body is complete (trailers, if any, were given to addTrailers). */
  end(out: ResponseOut, trailers: OutgoingHttpHeaders | undefined): void;
  /** The inner handler asked to send the head now (a streaming response). */
  flush?(out: ResponseOut): void;
}

type WriteHead = ServerResponse['writeHead'];

export function captureResponse(res: ServerResponse, sink: ResponseSink): void {
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
    addTrailers: res.addTrailers,
  };
  const out: ResponseOut = {
    writeHead: (status) => {
      if (status !== res.statusCode) {
        res.statusCode = status;
        res.statusMessage = STATUS_CODES[status] ?? '';
      }
      original.writeHead.call(res, status);
    },
    write: (chunk) => (original.write as (chunk: Buffer) => boolean).call(res, chunk),
    end: () => {
      (original.end as () => void).call(res);
    },
    flushHeaders: () => original.flushHeaders.call(res),
    addTrailers: (trailers) => original.addTrailers.call(res, trailers),
  };
  let headDone = false;
  let ended = false;
  let trailers: OutgoingHttpHeaders | undefined;

  const writeHead = function (
    this: ServerResponse,
    status: number,
    reason?: string | OutgoingHttpHeaders | unknown[],
    headers?: OutgoingHttpHeaders | unknown[],
  ): ServerResponse {
    if (headDone) {
      // A second head means the writer failed after its first one (an upstream error
      // mid-body): the response cannot be completed, so the connection is cut.
      res.destroy();
      return res;
    }
    headDone = true;
    let list = headers;
    if (typeof reason === 'string') res.statusMessage = reason;
    else {
      list = reason;
      if (status !== res.statusCode || !res.statusMessage) res.statusMessage = STATUS_CODES[status] ?? '';
    }
    res.statusCode = status;
    setHeaderList(res, list);
    sink.head(res, out);
    return res;
  } as WriteHead;

  res.writeHead = writeHead;
  res.flushHeaders = () => {
    if (!headDone) res.writeHead(res.statusCode);
    sink.flush?.(out);
  };
  res.write = ((chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    if (!headDone) res.writeHead(res.statusCode);
    const done = typeof encoding === 'function' ? encoding : callback;
    const buffer = toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined);
    const ok = buffer.length === 0 ? true : sink.data(buffer, out);
    if (typeof done === 'function') process.nextTick(done as () => void);
    return ok;
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, encoding?: unknown, callback?: unknown): ServerResponse => {
    if (ended) return res;
    if (typeof chunk === 'function') {
      callback = chunk;
      chunk = undefined;
    }
    if (typeof encoding === 'function') callback = encoding;
    if (!headDone) res.writeHead(res.statusCode);
    if (chunk !== undefined && chunk !== null) {
      const buffer = toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined);
      if (buffer.length > 0) sink.data(buffer, out);
    }
    ended = true;
    sink.end(out, trailers);
    if (typeof callback === 'function') res.once('finish', callback as () => void);
    return res;
  }) as ServerResponse['end'];
  res.addTrailers = (values) => {
    trailers = { ...trailers, ...(values as OutgoingHttpHeaders) };
  };
}

function toBuffer(chunk: unknown, encoding: BufferEncoding | undefined): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  return Buffer.alloc(0);
}

/**
 * Changes the head only. On an entryPoint's response the hook joins the response's own list
 * (see ProxyResponse), unless a capturing middleware already wrapped `writeHead`: then, as on
 * any other response, `writeHead` is wrapped so the hooks keep their nesting order. Node writes
 * an implicit head (first write, end, flushHeaders) through `writeHead` too, so nothing else
 * needs wrapping.
 */
export function onResponseHead(res: ServerResponse, change: HeadHook): void {
  // ProxyResponse, or its HTTP/2 counterpart (proxy/server/http2-exchange.ts).
  const hooked = res as ServerResponse & Partial<Pick<ProxyResponse, 'addHeadHook'>>;
  if (typeof hooked.addHeadHook === 'function' && !Object.hasOwn(res, 'writeHead')) {
    hooked.addHeadHook(change);
    return;
  }
  const original = res.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse;
  let done = false;
  res.writeHead = function (
    this: ServerResponse,
    status: number,
    reason?: string | OutgoingHttpHeaders | unknown[],
    headers?: OutgoingHttpHeaders | unknown[],
  ): ServerResponse {
    if (done) return original.call(res, status, reason, headers);
    done = true;
    let list = headers;
    if (typeof reason === 'string') res.statusMessage = reason;
    else list = reason;
    res.statusCode = status;
    setHeaderList(res, list);
    change(new ResponseHeadView(status, res));
    return original.call(res, res.statusCode);
  } as WriteHead;
}
