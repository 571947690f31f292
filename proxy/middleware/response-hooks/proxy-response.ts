/**
 * The response class of every entryPoint. It adds one thing to Node's: hooks that change the
 * response head just before it is written (the headers middleware's custom and security
 * headers). Registering a hook is a push onto a list, where wrapping `res.writeHead` per request
 * would allocate closures and give each response object its own shape, which slows every later
 * property access on responses.
 */
import { type OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The response head as a header-only hook sees it: lower-case names. */
export interface HeadView {
  readonly status: number;
  get(name: string): number | string | string[] | undefined;
  set(name: string, value: number | string | readonly string[]): void;
  remove(name: string): void;
}

export type HeadHook = (head: HeadView) => void;

type HeaderList = OutgoingHttpHeaders | unknown[];

export class ProxyResponse extends ServerResponse {
  // No constructor of its own: Node passes options (highWaterMark, ...) that must reach ServerResponse.
  #headHooks: HeadHook[] | undefined = undefined;

  /**
   * Runs `hook` on the head when it is written. Hooks added later run first: the middleware
   * nearest the service sees the response first, as with nested response writers.
   */
  addHeadHook(hook: HeadHook): void {
    if (this.#headHooks === undefined) this.#headHooks = [hook];
    else this.#headHooks.push(hook);
  }

  override writeHead(status: number, reason?: string | HeaderList, headers?: HeaderList): this {
    const hooks = this.#headHooks;
    if (hooks === undefined) return super.writeHead(status, reason as string, headers as OutgoingHttpHeaders);
    this.#headHooks = undefined;
    let list = headers;
    if (typeof reason === 'string') this.statusMessage = reason;
    else list = reason;
    // The forwarder's case: the headers come as one object and nothing was set on the response,
    // so the hooks edit that object and Node writes it on its fast path.
    if (list !== undefined && !Array.isArray(list) && this.getHeaderNames().length === 0) {
      const view = new ObjectHeadView(status, list);
      for (let i = hooks.length - 1; i >= 0; i--) hooks[i]?.(view);
      return super.writeHead(status, list);
    }
    this.statusCode = status;
    setHeaderList(this, list);
    const view = new ResponseHeadView(status, this);
    for (let i = hooks.length - 1; i >= 0; i--) hooks[i]?.(view);
    return super.writeHead(this.statusCode);
  }
}

/**
 * Puts the headers given to writeHead (an object, a flat `[name, value, ...]` list or a list of
 * pairs) on the response, so hooks and sinks see every header through getHeader/setHeader.
 */
export function setHeaderList(res: ServerResponse, list: HeaderList | undefined): void {
  if (Array.isArray(list)) {
    if (Array.isArray(list[0])) for (const [k, v] of list as [string, string][]) res.appendHeader(k, v);
    else for (let i = 0; i < list.length; i += 2) res.appendHeader(String(list[i]), String(list[i + 1]));
  } else if (list) {
    for (const key in list) {
      const value = list[key];
      if (value !== undefined) res.setHeader(key, value);
    }
  }
}

class ObjectHeadView implements HeadView {
  readonly status: number;
  readonly #headers: OutgoingHttpHeaders;

  constructor(status: number, headers: OutgoingHttpHeaders) {
    this.status = status;
    this.#headers = headers;
  }

  get(name: string): number | string | string[] | undefined {
    return this.#headers[name];
  }

  set(name: string, value: number | string | readonly string[]): void {
    this.#headers[name] = value as OutgoingHttpHeaders[string];
  }

  remove(name: string): void {
    delete this.#headers[name];
  }
}

export class ResponseHeadView implements HeadView {
  readonly status: number;
  readonly #res: ServerResponse;

  constructor(status: number, res: ServerResponse) {
    this.status = status;
    this.#res = res;
  }

  get(name: string): number | string | string[] | undefined {
    return this.#res.getHeader(name);
  }

  set(name: string, value: number | string | readonly string[]): void {
    this.#res.setHeader(name, value);
  }

  remove(name: string): void {
    this.#res.removeHeader(name);
  }
}
