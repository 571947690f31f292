/**
 * Step 3 of the assembly: the services the proxy provides itself (`ping@internal`,
 * `acme-http@internal`, and later the API and dashboard), and the routes Traefik adds for them
 * unless told to route by hand.
 */
import type { RouteTarget } from '../builder/build-routing.js';
import type { StaticConfig } from '../config/static-schema.js';
import type { Handler } from '../middleware/handler.js';
import { compileRule } from '../rules/compile-rule.js';
import type { IndexedRoute } from '../rules/router-index.js';
import { pingHandler } from '../server/ping.js';
import type { AcmeAssembly } from './acme-resolvers.js';

export interface InternalRouting {
  services: Map<string, Handler>;
  routes: { entryPoint: string; route: IndexedRoute<RouteTarget> }[];
}

export function internalRouting(
  config: StaticConfig,
  terminating: () => boolean,
  acmeHttpChallenge?: AcmeAssembly['httpChallenge'],
): InternalRouting {
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
  if (acmeHttpChallenge) addAcmeHttpRoutes(acmeHttpChallenge, config, services, routes);
  return { services, routes };
}

/**
 * HTTP-01 answers, routed as Traefik routes them: `acme-http@internal` at the highest priority
 * on each `httpChallenge.entryPoint`, or, on an entryPoint with `allowACMEByPass`, at the
 * default priority (the rule's length) so the user's own routers may take the path first.
 */
function addAcmeHttpRoutes(
  challenge: NonNullable<AcmeAssembly['httpChallenge']>,
  config: StaticConfig,
  services: InternalRouting['services'],
  routes: InternalRouting['routes'],
): void {
  const rule = 'PathPrefix(`/.well-known/acme-challenge/`)';
  const handler = challenge.responder.handler;
  services.set('acme-http@internal', handler);
  const route = (name: string, priority: number): IndexedRoute<RouteTarget> => ({
    name,
    rule: compileRule(rule),
    priority,
    target: {
      handler,
      routerName: name,
      serviceName: 'acme-http@internal',
      accessLogs: config.accessLog?.addInternals ?? false,
    },
  });
  for (const entryPoint of challenge.entryPoints) {
    routes.push({ entryPoint, route: route('acme-http@internal', Number.MAX_SAFE_INTEGER) });
  }
  for (const entryPoint of challenge.bypassEntryPoints) {
    routes.push({ entryPoint, route: route('acme-http-bypass@internal', rule.length) });
  }
}
