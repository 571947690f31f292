/**
 * Step 3 of the assembly: the services the proxy provides itself (`ping@internal`, and later
 * the API and dashboard), and the routes Traefik adds for them unless told to route by hand.
 */
import type { RouteTarget } from '../builder/build-routing.js';
import type { StaticConfig } from '../config/static-schema.js';
import type { Handler } from '../middleware/handler.js';
import { compileRule } from '../rules/compile-rule.js';
import type { IndexedRoute } from '../rules/router-index.js';
import { pingHandler } from '../server/ping.js';

export interface InternalRouting {
  services: Map<string, Handler>;
  routes: { entryPoint: string; route: IndexedRoute<RouteTarget> }[];
}

export function internalRouting(config: StaticConfig, terminating: () => boolean): InternalRouting {
  const services = new Map<string, Handler>();
  const routes: InternalRouting['routes'] = [];
  if (config.ping) {
    const ping = pingHandler(terminating, config.ping.terminatingStatusCode);
    services.set('ping@internal', ping);
    if (!config.ping.manualRouting) {
      routes.push({
        entryPoint: config.ping.entryPoint,
        route: {
          name: 'ping@internal',
          rule: compileRule('PathPrefix(`/ping`)'),
          priority: Number.MAX_SAFE_INTEGER,
          target: {
            handler: ping,
            routerName: 'ping@internal',
            serviceName: 'ping@internal',
            accessLogs: config.accessLog?.addInternals ?? false,
          },
        },
      });
    }
  }
  return { services, routes };
}
