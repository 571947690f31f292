/**
 * From the runtime configuration to what the entryPoints serve: one router index per
 * entryPoint, whose routes hold the service handler wrapped in the router's middleware chain.
 * Everything is built aside; the caller swaps it in at once, so a request sees either the old
 * routing or the new one, never a mix.
 */
import { splitDottedPath } from '../../src/config/dotted-path.js';
import { AffineurError, AffineurErrorList } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { MiddlewareConfig, ServersTransportConfig, ServiceConfig } from '../config/dynamic-schema.js';
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import type { EntryPointTlsConfig } from '../config/static-schema.js';
import { defaultTransport, type UpstreamAgents } from '../forward/upstream-agents.js';
import type { Handler } from '../middleware/handler.js';
import {
  type MiddlewareContext,
  type MiddlewareFactory,
  middlewareFactories,
} from '../middleware/middleware.js';
import type { CompiledRule } from '../rules/compile-rule.js';
import { type IndexedRoute, RouterIndex, routerPriority } from '../rules/router-index.js';
import type { RuntimeConfig } from '../runtime/runtime-config.js';
import { createFailoverService } from '../service/failover-service.js';
import { createLoadBalancerService } from '../service/load-balancer/load-balancer-service.js';
import { createMirroringService } from '../service/mirroring-service.js';
import type { Service } from '../service/service.js';
import { createWeightedService } from '../service/weighted-service.js';
import { routerTls } from '../tls/build-tls.js';
import type { ObjectOrigin } from '../watcher/dynamic-objects.js';
import { providerOf, qualifyReference } from '../watcher/qualified-name.js';
import { flattenMiddlewares } from './middleware-list.js';

export interface RouteTarget {
  handler: Handler;
  routerName: string;
  serviceName: string;
  /** `observability.accessLogs` of the router. */
  accessLogs: boolean;
}

export interface Routing {
  /** The router index of each entryPoint, for plain HTTP requests (routers without TLS). */
  entryPoints: Map<string, RouterIndex<RouteTarget>>;
  /** The router index of each entryPoint for HTTPS requests (routers with TLS). */
  secureEntryPoints: Map<string, RouterIndex<RouteTarget>>;
  /** Stops what this routing started (health checks, middleware timers). */
  close(): void;
}

export interface BuildOptions {
  logger: Logger;
  agents: UpstreamAgents;
  /** The middlewares of each entryPoint (`entryPoints.<name>.http.middlewares`), applied first. */
  entryPointMiddlewares: ReadonlyMap<string, readonly string[]>;
  /** `entryPoints.<name>.http.tls`: TLS for every router of the entryPoint. */
  entryPointTls?: ReadonlyMap<string, EntryPointTlsConfig | undefined>;
  keepConnectionHeaders: ReadonlySet<string>;
  /** The install-level `serversTransport`, for services that name none. */
  defaultTransport?: ServersTransportConfig;
  /** Services the proxy itself provides, by qualified name. */
  internalServices: ReadonlyMap<string, Handler>;
  /** Extra routes the proxy adds, such as `/ping` on its entryPoint. */
  internalRoutes: readonly { entryPoint: string; route: IndexedRoute<RouteTarget> }[];
  factories?: Partial<Record<HttpMiddlewareType, MiddlewareFactory>>;
  /** The rank of a provider when routers tie on priority (providers.precedence); lower wins. */
  providerRank?: (provider: string | undefined) => number;
}

export function buildRouting(runtime: RuntimeConfig<CompiledRule>, options: BuildOptions): Routing {
  const abort = new AbortController();
  const built = new Map<string, Service>();
  const usedAgents = new Set<string>();
  const factories = options.factories ?? middlewareFactories;

  const service = (name: string): Service => {
    const existing = built.get(name);
    if (existing) return existing;
    const config = runtime.services.get(name)?.config as ServiceConfig;
    const created = createService(name, config);
    built.set(name, created);
    return created;
  };

  const createService = (name: string, config: ServiceConfig): Service => {
    if (config.loadBalancer) {
      const transportName = config.loadBalancer.serversTransport;
      const transport =
        transportName === undefined || transportName === 'default@internal'
          ? (options.defaultTransport ?? defaultTransport)
          : (runtime.serversTransports.get(transportName)?.config ?? defaultTransport);
      const h2c = config.loadBalancer.servers.some((s) => s.url.startsWith('h2c:'));
      return createLoadBalancerService({
        name,
        config: config.loadBalancer,
        dispatcher: options.agents.get(transport, usedAgents),
        ...(h2c ? { h2cDispatcher: options.agents.get(transport, usedAgents, true) } : {}),
        keepConnectionHeaders: options.keepConnectionHeaders,
      });
    }
    if (config.weighted) {
      return createWeightedService(
        name,
        config.weighted,
        config.weighted.services.map((s) => service(s.name)),
      );
    }
    if (config.mirroring) {
      const m = config.mirroring;
      return createMirroringService(
        name,
        m,
        service(m.service),
        m.mirrors.map((x) => service(x.name)),
      );
    }
    const failover = config.failover;
    if (!failover) throw new Error(`service ${name} has no type; the schema should have refused it`);
    return createFailoverService(name, service(failover.service), service(failover.fallback));
  };

  /** `MiddlewareContext.service`: services for middlewares that send requests of their own (errors). */
  const serviceForMiddleware = (name: string): Handler => {
    const internal = options.internalServices.get(name);
    if (internal) return internal;
    const target = runtime.services.get(name);
    if (target?.status !== 'enabled') {
      throw new AffineurError(
        target ? 'AFF_ERR_PROXY_DISABLED_REFERENCE' : 'AFF_ERR_PROXY_UNKNOWN_REFERENCE',
        target ? `service "${name}" is disabled by an error.` : `service "${name}" does not exist.`,
        {
          hint: target
            ? `Fix service "${name}" first.`
            : 'Define it, or check the name and its @provider suffix.',
        },
      );
    }
    return service(name).handle;
  };

  // Which middlewares each router was built with: one may fail only for a later router.
  const middlewaresOfRouter = new Map<string, Set<string>>();
  const wrap = (routerName: string, listed: readonly string[], handler: Handler): Handler => {
    const keyPath = `http.routers.${routerName}.middlewares`;
    const names = flattenMiddlewares(listed, (name) => runtime.middlewares.get(name), keyPath);
    const used = middlewaresOfRouter.get(routerName) ?? new Set();
    middlewaresOfRouter.set(routerName, used);
    for (const name of names) used.add(name);
    const context: MiddlewareContext = {
      logger: options.logger,
      routerName,
      signal: abort.signal,
      service: serviceForMiddleware,
    };
    let next = handler;
    for (let i = names.length - 1; i >= 0; i--) {
      const name = names[i] as string;
      const middleware = runtime.middlewares.get(name);
      const config = middleware?.config as MiddlewareConfig;
      const entry = Object.entries(config).find(([, value]) => value !== undefined);
      const factory = entry && factories[entry[0] as HttpMiddlewareType];
      if (!entry || !factory) {
        throw new AffineurError(
          'AFF_ERR_PROXY_MIDDLEWARE_UNSUPPORTED',
          `middleware "${name}" cannot be built.`,
          {
            keyPath,
          },
        );
      }
      try {
        next = factory(context, next, entry[1], name);
      } catch (error) {
        // Bad options make the middleware itself disabled, for every router that uses it.
        if (middleware && middleware.status === 'enabled') {
          middleware.status = 'disabled';
          middleware.errors.push(...asErrors(error, middleware.origin));
        }
        throw new AffineurError(
          'AFF_ERR_PROXY_DISABLED_REFERENCE',
          `middleware "${name}" is disabled by an error.`,
          {
            keyPath,
            hint: `Fix middleware "${name}" first; its own error says how.`,
          },
        );
      }
    }
    return next;
  };

  const routes = new Map<string, IndexedRoute<RouteTarget>[]>();
  const secureRoutes = new Map<string, IndexedRoute<RouteTarget>[]>();
  for (const [routerName, router] of runtime.routers) {
    const config = router.config;
    if (router.status !== 'enabled' || !config || !router.rule) continue;
    let serviceHandler: Handler;
    try {
      serviceHandler = options.internalServices.get(config.service) ?? service(config.service).handle;
    } catch (error) {
      disable(router, error);
      continue;
    }
    for (const entryPoint of router.entryPoints) {
      let handler: Handler;
      try {
        handler = wrap(
          routerName,
          [
            // `x` in an entryPoint's list means `x` of the router's provider, as in Traefik.
            ...(options.entryPointMiddlewares.get(entryPoint) ?? []).map((m) =>
              qualifyReference(m, routerName),
            ),
            ...config.middlewares,
          ],
          serviceHandler,
        );
      } catch (error) {
        disable(router, error);
        break;
      }
      // As in Traefik, a router with TLS serves HTTPS only, one without it plain HTTP only.
      const byEntryPoint = routerTls(router, options.entryPointTls?.get(entryPoint)) ? secureRoutes : routes;
      const list = byEntryPoint.get(entryPoint) ?? [];
      byEntryPoint.set(entryPoint, list);
      list.push({
        name: routerName,
        rule: router.rule,
        priority: routerPriority(config.priority, config.rule),
        precedence: options.providerRank?.(providerOf(routerName)) ?? 0,
        target: {
          handler,
          routerName,
          serviceName: config.service,
          accessLogs: config.observability?.accessLogs ?? true,
        },
      });
    }
  }
  // A middleware whose factory failed for one router (a plugin refusing a router, say) is
  // disabled; the routers built with it before that must not serve through it either.
  for (const [routerName, used] of middlewaresOfRouter) {
    const router = runtime.routers.get(routerName);
    if (router?.status !== 'enabled') continue;
    const broken = [...used].find((name) => runtime.middlewares.get(name)?.status === 'disabled');
    if (broken === undefined) continue;
    disable(
      router,
      new AffineurError(
        'AFF_ERR_PROXY_DISABLED_REFERENCE',
        `middleware "${broken}" is disabled by an error.`,
        {
          keyPath: `http.routers.${routerName}.middlewares`,
          hint: `Fix middleware "${broken}" first; its own error says how.`,
        },
      ),
    );
  }
  for (const { entryPoint, route } of options.internalRoutes) {
    const list = routes.get(entryPoint) ?? [];
    routes.set(entryPoint, list);
    list.push(route);
  }
  const indexes = (byEntryPoint: Map<string, IndexedRoute<RouteTarget>[]>) => {
    const out = new Map<string, RouterIndex<RouteTarget>>();
    for (const [name, list] of byEntryPoint) {
      // A router disabled halfway (one entryPoint built, the next failed) must not serve at all.
      out.set(name, new RouterIndex(list.filter((r) => runtime.routers.get(r.name)?.status !== 'disabled')));
    }
    return out;
  };
  const entryPoints = indexes(routes);
  options.agents.retainOnly(usedAgents);
  return {
    entryPoints,
    secureEntryPoints: indexes(secureRoutes),
    close() {
      abort.abort();
      for (const s of built.values()) s.close();
    },
  };
}

/**
 * A middleware factory reports its options relative to the middleware (`basicAuth.realm (from
 * middleware "x@file")`), as it knows nothing of files. Here the error is put back where the
 * middleware was written: its file, line and full key path, like every other config error.
 */
function asErrors(error: unknown, origin: ObjectOrigin | undefined): AffineurError[] {
  const list =
    error instanceof AffineurErrorList
      ? [...error.errors]
      : error instanceof AffineurError
        ? [error]
        : [new AffineurError('AFF_ERR_CONFIG_INVALID', `could not be built: ${(error as Error).message}`)];
  if (!origin?.file) return list;
  const file = origin.file;
  return list.map((e) => {
    if (e.file) return e;
    const relative = /^(.*) \(from middleware "[^"]*"\)$/.exec(e.keyPath ?? '')?.[1];
    const keyPath = relative === undefined ? (e.keyPath ?? origin.keyPath) : `${origin.keyPath}.${relative}`;
    const line = origin.lineOf?.(relative === undefined ? [] : relativeSegments(relative));
    return new AffineurError(e.code, e.detail, {
      file,
      ...(line === undefined ? {} : { line }),
      keyPath,
      ...(e.hint ? { hint: e.hint } : {}),
      ...(e.cause === undefined ? {} : { cause: e.cause }),
    });
  });
}

function relativeSegments(keyPath: string): (string | number)[] {
  try {
    return splitDottedPath(keyPath);
  } catch {
    return [];
  }
}

function disable(router: { status: string; errors: AffineurError[] }, error: unknown): void {
  router.status = 'disabled';
  router.errors.push(
    error instanceof AffineurError
      ? error
      : new AffineurError('AFF_ERR_CONFIG_INVALID', `could not be built: ${(error as Error).message}`),
  );
}
