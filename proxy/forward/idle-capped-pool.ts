/**
 * The connections to one upstream origin, managed the way Go's http.Transport (and so Traefik)
 * manages them: a request takes an idle keep-alive connection when there is one and opens a new
 * connection otherwise, so concurrency is never capped and no request waits behind a slow one.
 * `maxIdleConnsPerHost` only caps how many connections are kept once they are idle again.
 *
 * undici's Pool caps concurrent connections instead (`connections`), which queues the 201st
 * long poll behind the first 200. This dispatcher is what the Agent creates per origin through
 * its `factory` option; to the Agent it behaves like a Pool:
 * - `dispatch` never queues, so it always returns true and never needs to emit 'drain';
 * - 'connect', 'disconnect' and 'connectionError' of every connection are re-emitted with this
 *   pool first in `targets` (the Agent counts them and closes the pool once none is connected);
 * - `close()` lets requests in flight finish, `destroy()` aborts them.
 */
import { buildConnector, Client, Dispatcher, errors } from 'undici';

/** Go's net/http DefaultMaxIdleConnsPerHost, which an explicit `maxIdleConnsPerHost: 0` means. */
export const goDefaultMaxIdleConnsPerHost = 2;

/**
 * How many idle connections per server a `maxIdleConnsPerHost` keeps, read as Go reads it:
 * 0 is Go's default (2), a negative value keeps none (each connection closes after its response).
 */
export function idleConnectionsToKeep(maxIdleConnsPerHost: number): number {
  if (maxIdleConnsPerHost === 0) return goDefaultMaxIdleConnsPerHost;
  return Math.max(0, maxIdleConnsPerHost);
}

type ConnectionState = 'busy' | 'idle' | 'retired';

/** One undici Client (one connection, no pipelining) and its place in the pool. */
class PooledClient {
  readonly client: Client;
  state: ConnectionState = 'busy';
  /** Neighbours in the idle list, so that a connection dropping while idle leaves it in O(1). */
  older: PooledClient | null = null;
  newer: PooledClient | null = null;

  constructor(client: Client) {
    this.client = client;
  }
}

export class IdleCappedPool extends Dispatcher {
  readonly #origin: string | URL;
  readonly #clientOptions: Client.Options;
  readonly #maxIdle: number;
  /** Every client not closed yet, busy or idle: what close() and destroy() must reach. */
  readonly #clients = new Set<PooledClient>();
  /** Top of the idle stack. Most recently used first, as Go does: the others can time out. */
  #newestIdle: PooledClient | null = null;
  #idleCount = 0;
  #closing: Promise<void> | null = null;
  #destroyed = false;

  /**
   * @param options the Agent's options (timeouts, `connect`, ...), handed to each Client.
   * @param maxIdle how many idle connections to keep, ≥ 0 (see idleConnectionsToKeep).
   */
  constructor(origin: string | URL, options: Client.Options, maxIdle: number) {
    super();
    this.#origin = origin;
    this.#maxIdle = maxIdle;
    // One connector for all the clients, as Pool does: its TLS session cache then lets a new
    // connection resume the session of an earlier one instead of a full handshake.
    this.#clientOptions = { ...options, pipelining: 1, connect: sharedConnector(options) };
  }

  get closed(): boolean {
    return this.#closing !== null || this.#destroyed;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** Clients not closed yet: busy, idle, or closing (for tests and diagnostics). */
  get connections(): number {
    return this.#clients.size;
  }

  /** Connections kept idle for reuse. */
  get idleConnections(): number {
    return this.#idleCount;
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    // Through the Agent this never happens (it forgets a pool before closing it); a direct caller
    // gets the error thrown, which the Agent's own dispatch would hand to the handler.
    if (this.#destroyed) throw new errors.ClientDestroyedError();
    if (this.#closing) throw new errors.ClientClosedError();
    let pooled = this.#newestIdle;
    if (pooled === null) {
      pooled = this.#open();
    } else {
      this.#unlinkIdle(pooled);
      pooled.state = 'busy';
    }
    pooled.client.dispatch(options, handler);
    // undici refuses some requests synchronously (an invalid header, say): the handler has had
    // the error and the client will never emit 'drain'. Without this check the client would stay
    // "busy" forever; undici's own Pool leaks it that way (with a `connections` cap, until the
    // origin is wedged). Reading `stats` is the only public way to see the client's queue.
    const stats = pooled.client.stats;
    if (stats.size === 0) {
      if (stats.connected) this.#release(pooled);
      else this.#retire(pooled);
    }
    return true;
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    if (this.#closing === null) {
      const clients = [...this.#clients];
      for (const pooled of clients) this.#retire(pooled);
      // Closing a client twice is harmless: the second call waits for the first. A client
      // destroyed meanwhile rejects, which still means it is closed.
      this.#closing = Promise.all(clients.map((pooled) => pooled.client.close().catch(() => undefined))).then(
        () => {
          this.#destroyed = true;
        },
      );
    }
    if (callback === undefined) return this.#closing;
    void this.#closing.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(
    errorOrCallback?: Error | null | (() => void),
    callback?: () => void,
  ): Promise<void> | void {
    const error = typeof errorOrCallback === 'function' ? null : (errorOrCallback ?? null);
    const done = typeof errorOrCallback === 'function' ? errorOrCallback : callback;
    this.#destroyed = true;
    const clients = [...this.#clients];
    this.#clients.clear();
    this.#newestIdle = null;
    this.#idleCount = 0;
    for (const pooled of clients) pooled.state = 'retired';
    const destroying = Promise.all(
      clients.map((pooled) => pooled.client.destroy(error).catch(() => undefined)),
    ).then(() => undefined);
    if (done === undefined) return destroying;
    void destroying.then(done);
  }

  /** A new client for a request: never a wait for a busy one, so no cap on concurrency. */
  #open(): PooledClient {
    const pooled = new PooledClient(new Client(this.#origin, this.#clientOptions));
    pooled.client
      .on('drain', () => this.#release(pooled))
      .on('connect', (origin, targets) => this.emit('connect', origin, [this, ...targets]))
      .on('disconnect', (origin, targets, error) => {
        this.#retire(pooled);
        this.emit('disconnect', origin, [this, ...targets], error);
      })
      .on('connectionError', (origin, targets, error) => {
        this.#retire(pooled);
        this.emit('connectionError', origin, [this, ...targets], error);
      });
    this.#clients.add(pooled);
    return pooled;
  }

  /** The client finished its request ('drain'): keep it idle, or close it past the cap. */
  #release(pooled: PooledClient): void {
    if (pooled.state !== 'busy') return;
    if (this.#idleCount >= this.#maxIdle || this.#closing !== null) {
      this.#retire(pooled);
      return;
    }
    pooled.state = 'idle';
    pooled.older = this.#newestIdle;
    if (this.#newestIdle !== null) this.#newestIdle.newer = pooled;
    this.#newestIdle = pooled;
    this.#idleCount++;
  }

  /**
   * Takes a client out of service for good and closes it (gracefully: a request it still holds
   * finishes first). A client whose connection went away is retired too rather than kept to
   * reconnect later, so that every idle client holds a live connection and the idle cap counts
   * connections, not empty clients.
   */
  #retire(pooled: PooledClient): void {
    if (pooled.state === 'retired') return;
    if (pooled.state === 'idle') this.#unlinkIdle(pooled);
    pooled.state = 'retired';
    pooled.client.close(() => this.#clients.delete(pooled));
  }

  #unlinkIdle(pooled: PooledClient): void {
    const { older, newer } = pooled;
    if (older !== null) older.newer = newer;
    if (newer !== null) newer.older = older;
    else this.#newestIdle = older;
    pooled.older = null;
    pooled.newer = null;
    this.#idleCount--;
  }
}

/** The connector every client of the pool shares, built from the same options Client reads. */
function sharedConnector(options: Client.Options): buildConnector.connector {
  const { connect } = options;
  if (typeof connect === 'function') return connect;
  return buildConnector({
    maxCachedSessions: options.maxCachedSessions,
    allowH2: options.allowH2,
    socketPath: options.socketPath,
    timeout: options.connectTimeout,
    ...(typeof options.autoSelectFamily === 'boolean'
      ? {
          autoSelectFamily: options.autoSelectFamily,
          autoSelectFamilyAttemptTimeout: options.autoSelectFamilyAttemptTimeout,
        }
      : {}),
    ...connect,
  });
}
