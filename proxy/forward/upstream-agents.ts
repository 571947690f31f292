/**
 * One undici Agent per servers transport, shared across configuration reloads so kept-alive
 * upstream connections survive a reload. After each reload the agents no longer used are
 * closed gracefully (in-flight requests finish first).
 */
import { Agent, type Client } from 'undici';
import type { ServersTransportConfig } from '../config/dynamic-schema.js';
import { Http2Dispatcher } from './http2-dispatcher.js';
import { IdleCappedPool, idleConnectionsToKeep } from './idle-capped-pool.js';
import { upstreamTlsOptions } from './upstream-tls.js';

export const defaultTransport: ServersTransportConfig = {
  insecureSkipVerify: false,
  rootCAs: [],
  certificates: [],
  cipherSuites: [],
  maxIdleConnsPerHost: 200,
  forwardingTimeouts: {
    dialTimeout: 30_000,
    responseHeaderTimeout: 0,
    idleConnTimeout: 90_000,
    readIdleTimeout: 0,
    pingTimeout: 15_000,
  },
  disableHTTP2: false,
};

export class UpstreamAgents {
  readonly #agents = new Map<string, Agent>();

  /**
   * The agent for a transport; the same config always gives the same agent. `h2c` gives the
   * one for `h2c://` servers (HTTP/2 without TLS, by prior knowledge). `keyPath` names the
   * transport in errors (a CA file that vanished since validation).
   */
  get(
    transport: ServersTransportConfig,
    used: Set<string>,
    h2c = false,
    keyPath = 'serversTransport',
  ): Agent {
    const key = `${h2c ? 'h2c' : 'h1'}|${JSON.stringify(transport)}`;
    used.add(key);
    let agent = this.#agents.get(key);
    if (!agent) {
      agent = h2c ? createH2cDispatcher(transport) : createAgent(transport, keyPath);
      this.#agents.set(key, agent);
    }
    return agent;
  }

  /** Closes agents that the current configuration does not use. */
  retainOnly(used: ReadonlySet<string>): void {
    for (const [key, agent] of this.#agents) {
      if (used.has(key)) continue;
      this.#agents.delete(key);
      void agent.close().catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const agents = [...this.#agents.values()];
    this.#agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy().catch(() => undefined)));
  }
}

/** Typed as an Agent: the forwarder and health checks only call dispatch, close and destroy. */
function createH2cDispatcher(transport: ServersTransportConfig): Agent {
  const timeouts = transport.forwardingTimeouts;
  return new Http2Dispatcher({
    connectTimeoutMs: Math.max(0, timeouts.dialTimeout),
    idleTimeoutMs: Math.max(0, timeouts.idleConnTimeout),
    pingIntervalMs: Math.max(0, timeouts.readIdleTimeout),
  }) as unknown as Agent;
}

function createAgent(transport: ServersTransportConfig, keyPath: string): Agent {
  const timeouts = transport.forwardingTimeouts;
  const maxIdle = idleConnectionsToKeep(transport.maxIdleConnsPerHost);
  return new Agent({
    // Go's MaxIdleConnsPerHost caps the idle keep-alive connections kept per server, never the
    // concurrent ones; undici's Pool can only do the latter, so each origin gets our own pool.
    factory: (origin, options) => new IdleCappedPool(origin, options as Client.Options, maxIdle),
    keepAliveTimeout: idleLimit(timeouts.idleConnTimeout),
    keepAliveMaxTimeout: idleLimit(timeouts.idleConnTimeout),
    headersTimeout: timeouts.responseHeaderTimeout,
    bodyTimeout: 0,
    // HTTP/1.1 to TLS servers: undici's HTTP/2 client drops trailers that come with END_STREAM
    // (gRPC's status), so h2 to upstreams goes through h2c:// and http2-dispatcher.ts.
    connect: {
      // 0 is no limit in Go and in undici's connector (null would be undici's 10 s default).
      timeout: Math.max(0, timeouts.dialTimeout),
      ...upstreamTlsOptions(transport, keyPath),
    },
  } as Agent.Options);
}

/** Go's idleConnTimeout of 0 keeps idle connections forever; undici needs a positive limit. */
function idleLimit(idleConnTimeoutMs: number): number {
  return idleConnTimeoutMs > 0 ? idleConnTimeoutMs : 2_147_483_647;
}
