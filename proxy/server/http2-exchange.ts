/**
 * The request and response classes of an entryPoint's HTTP/2 side. Node's compatibility API
 * gives HTTP/2 streams the shape of `IncomingMessage`/`ServerResponse`, so every middleware,
 * the forwarder and the access log serve both protocols with one code path; these two classes
 * close the gaps that matter to a proxy:
 * - the request shows the HTTP/1.1 view: `host` from `:authority`, no pseudo-headers in
 *   `headers`/`rawHeaders` (they must not be forwarded upstream, nor seen by header rules), and
 *   a body of unannounced length shows as chunked;
 * - the response runs head hooks like ProxyResponse, has `destroyed`, and drops what HTTP/2
 *   forbids or has no place for (connection-specific headers, a reason phrase).
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { Http2ServerRequest, Http2ServerResponse, type ServerHttp2Stream } from 'node:http2';
import type { Readable } from 'node:stream';
import {
  type HeadHook,
  ResponseHeadView,
  setHeaderList,
} from '../middleware/response-hooks/proxy-response.js';

const pseudo = Symbol('pseudo-headers');

interface PseudoHeaders {
  method: string;
  url: string;
  authority: string;
  scheme: string;
}

export class ProxyHttp2Request extends Http2ServerRequest {
  declare [pseudo]: PseudoHeaders;

  constructor(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    options: object,
    rawHeaders: string[],
  ) {
    super(stream, headers as never, options as never, rawHeaders);
    const authority = String(headers[':authority'] ?? headers.host ?? '');
    this[pseudo] = {
      method: String(headers[':method'] ?? 'GET'),
      url: String(headers[':path'] ?? '/'),
      authority,
      scheme: String(headers[':scheme'] ?? 'https'),
    };
    for (const name of [':method', ':path', ':authority', ':scheme', ':protocol']) delete headers[name];
    const raw: string[] = [];
    let host = false;
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const name = rawHeaders[i] as string;
      if (name.charCodeAt(0) === 0x3a /* : */) continue;
      if (name === 'host') host = true;
      raw.push(name, rawHeaders[i + 1] as string);
    }
    if (!host && authority !== '') {
      raw.unshift('host', authority);
      headers.host = authority;
    }
    // HTTP/2 carries a body without announcing its length; in the HTTP/1.1 view that is a
    // chunked body, which is what body-reading middlewares and the forwarder look for.
    if (!stream.endAfterHeaders && headers['content-length'] === undefined) {
      raw.push('transfer-encoding', 'chunked');
      headers['transfer-encoding'] = 'chunked';
    }
    rawHeaders.length = 0;
    rawHeaders.push(...raw);
  }
}

// Middlewares replace the header list (edit-request-headers.ts); Node's getter has no setter.
const rawHeaderList = Symbol('raw-headers');
Object.defineProperty(ProxyHttp2Request.prototype, 'rawHeaders', {
  get(this: ProxyHttp2Request & { [rawHeaderList]?: string[] }) {
    return (
      this[rawHeaderList] ??
      Object.getOwnPropertyDescriptor(Http2ServerRequest.prototype, 'rawHeaders')?.get?.call(this)
    );
  },
  set(this: ProxyHttp2Request & { [rawHeaderList]?: string[] }, value: string[]) {
    this[rawHeaderList] = value;
  },
  configurable: true,
});

// Accessors on the prototype: Node's read the pseudo-headers this class moved out of `headers`.
for (const key of ['method', 'url', 'authority', 'scheme'] as const) {
  Object.defineProperty(ProxyHttp2Request.prototype, key, {
    get(this: ProxyHttp2Request) {
      return this[pseudo][key];
    },
    set(this: ProxyHttp2Request, value: string) {
      this[pseudo][key] = value;
    },
    configurable: true,
  });
}

/** Connection-specific headers (RFC 9113 8.2.2): Node refuses them on an HTTP/2 response. */
const connectionSpecific = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
]);

type HeaderList = OutgoingHttpHeaders | unknown[];

export class ProxyHttp2Response extends Http2ServerResponse {
  #headHooks: HeadHook[] | undefined = undefined;

  /** As ProxyResponse.addHeadHook. */
  addHeadHook(hook: HeadHook): void {
    if (this.#headHooks === undefined) this.#headHooks = [hook];
    else this.#headHooks.push(hook);
  }

  override setHeader(name: string, value: number | string | readonly string[]): this {
    if (connectionSpecific.has(name.toLowerCase())) return this;
    super.setHeader(name, value as string);
    return this;
  }

  override appendHeader(name: string, value: string | readonly string[]): this {
    if (connectionSpecific.has(name.toLowerCase())) return this;
    super.appendHeader(name, value as string);
    return this;
  }

  override writeHead(status: number, reason?: string | HeaderList, headers?: HeaderList): this {
    const list = typeof reason === 'string' ? headers : reason;
    if (list !== undefined && !Array.isArray(list)) {
      for (const name in list) if (connectionSpecific.has(name.toLowerCase())) delete list[name];
    }
    const hooks = this.#headHooks;
    if (hooks === undefined && (list === undefined || !Array.isArray(list))) {
      return super.writeHead(status, list as OutgoingHttpHeaders);
    }
    this.#headHooks = undefined;
    this.statusCode = status;
    setHeaderList(this as never, list);
    if (hooks) {
      const view = new ResponseHeadView(status, this as never);
      for (let i = hooks.length - 1; i >= 0; i--) hooks[i]?.(view);
    }
    return super.writeHead(this.statusCode);
  }
}

Object.defineProperty(ProxyHttp2Response.prototype, 'destroyed', {
  get(this: ProxyHttp2Response) {
    return this.stream.destroyed;
  },
  configurable: true,
});
// HTTP/2 has no reason phrase; Node warns on every use of the HTTP/1 property.
Object.defineProperty(ProxyHttp2Response.prototype, 'statusMessage', {
  get: () => '',
  set: () => undefined,
  configurable: true,
});

/** The body a request carries, for code that only needs a Readable. */
export type RequestBody = Readable;
