/**
 * The loadBalancer service: picks a server (smooth weighted round robin or power of two
 * choices, sticky cookie first), forwards, and tracks each server's health from active probes
 * and from failed requests (passive checks). No available server means 503.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import type { LoadBalancerConfig } from '../../config/dynamic-schema.js';
import {
  type ForwardOutcome,
  type ForwardTarget,
  forwardCopy,
  forwardToServer,
  sendError,
} from '../../forward/forward-to-server.js';
import type { RequestContext } from '../../middleware/handler.js';
import { HealthStatus, type Service } from '../service.js';
import { startActiveHealthChecks } from './active-health-check.js';
import { pickTwoChoices } from './power-of-two-choices.js';
import { pickSmoothWeighted } from './smooth-weighted-round-robin.js';
import { readCookie, setCookieHeader, stickyCookieName, stickyValue } from './sticky-cookie.js';

interface BalancedServer {
  readonly target: ForwardTarget;
  readonly weight: number;
  readonly stickyValue: string;
  current: number;
  inFlight: number;
  /** From active health checks. */
  probeHealthy: boolean;
  /** Passive health: failure times inside the window, and until when the server is out. */
  failures: number[];
  downUntil: number;
}

export interface LoadBalancerOptions {
  name: string;
  config: LoadBalancerConfig;
  dispatcher: Dispatcher;
  /** For `h2c://` servers: HTTP/2 over cleartext, by prior knowledge. */
  h2cDispatcher?: Dispatcher;
  keepConnectionHeaders: ReadonlySet<string>;
  now?: () => number;
}

export function createLoadBalancerService(options: LoadBalancerOptions): Service {
  const { config, name } = options;
  const now = options.now ?? Date.now;
  const servers: BalancedServer[] = config.servers.map((server) => {
    const url = new URL(server.url);
    const h2c = url.protocol === 'h2c:';
    return {
      target: {
        // `h2c:` is no special scheme to URL, whose origin is then "null".
        origin: h2c ? `http://${url.host}` : url.origin,
        basePath: server.preservePath ? url.pathname : '',
        host: url.host,
        url: server.url,
        dispatcher: h2c ? (options.h2cDispatcher ?? options.dispatcher) : options.dispatcher,
        passHostHeader: config.passHostHeader,
        keepConnectionHeaders: options.keepConnectionHeaders,
        flushIntervalMs: config.responseForwarding?.flushInterval ?? 100,
      },
      weight: server.weight ?? 1,
      stickyValue: stickyValue(server.url),
      current: 0,
      inFlight: 0,
      probeHealthy: true,
      failures: [],
      downUntil: 0,
    };
  });
  const passive = config.passiveHealthCheck;
  const available = (server: BalancedServer) =>
    server.probeHealthy && (server.downUntil === 0 || server.downUntil <= now());
  const status = new HealthStatus(servers.some((s) => s.weight > 0));
  const refresh = () => status.set(servers.some((s) => s.weight > 0 && available(s)));
  const pick =
    config.strategy === 'p2c'
      ? () => pickTwoChoices(servers, available)
      : () => pickSmoothWeighted(servers, available);
  const cookie = config.sticky?.cookie;
  const cookieName = cookie ? stickyCookieName(cookie, name) : '';

  const choose = (req: IncomingMessage, res: ServerResponse | undefined): BalancedServer | undefined => {
    if (cookie) {
      const wanted = readCookie(req, cookieName);
      if (wanted !== undefined) {
        const server = servers.find((s) => s.stickyValue === wanted);
        if (server && server.weight > 0 && available(server)) return server;
      }
      const server = pick();
      if (server && res)
        res.appendHeader('set-cookie', setCookieHeader(cookie, cookieName, server.stickyValue));
      return server;
    }
    return pick();
  };

  const finished = (server: BalancedServer) => (outcome: ForwardOutcome) => {
    server.inFlight--;
    if (outcome === 'ok' || !passive) return;
    const at = now();
    server.failures = server.failures.filter((t) => t > at - passive.failureWindow);
    server.failures.push(at);
    if (server.failures.length >= passive.maxFailedAttempts) {
      server.failures = [];
      server.downUntil = at + passive.failureWindow;
      refresh();
      // Coming back needs no request to notice it: re-check when the penalty ends.
      setTimeout(refresh, passive.failureWindow + 1).unref();
    }
  };

  let stopProbes: (() => void) | undefined;
  if (config.healthCheck) {
    stopProbes = startActiveHealthChecks(
      servers.map((server) => ({
        url: new URL(server.target.url),
        setHealthy(healthy: boolean) {
          server.probeHealthy = healthy;
          refresh();
        },
      })),
      config.healthCheck,
      options.dispatcher,
    );
  }

  return {
    name,
    handle(req, res, ctx) {
      const server = choose(req, res);
      if (!server) {
        sendError(res, 503);
        return;
      }
      server.inFlight++;
      forwardToServer(req, res, ctx, server.target, finished(server));
    },
    healthy: () => status.healthy,
    onHealthChange: (listener) => status.listen(listener),
    mirror(req: IncomingMessage, ctx: RequestContext, body: Buffer | null) {
      const server = pick();
      if (server) forwardCopy(req, ctx, server.target, body);
    },
    close() {
      stopProbes?.();
    },
  };
}
