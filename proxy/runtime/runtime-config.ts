/**
 * The runtime view of the routing configuration: every router, service, middleware and
 * servers transport with its status and its own errors, after cross-references are checked.
 * This is a pure function of plain data; the builder only ever builds what is enabled here.
 */
import { splitDottedPath } from '../../src/config/dotted-path.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type {
  MiddlewareConfig,
  RouterConfig,
  ServersTransportConfig,
  ServiceConfig,
} from '../config/dynamic-schema.js';
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import { upstreamTlsOptions } from '../forward/upstream-tls.js';
import type { ConfigObject, DynamicObjects, ObjectOrigin } from '../watcher/dynamic-objects.js';

export type ObjectStatus = 'enabled' | 'disabled';

export interface RuntimeObject<T> {
  name: string;
  origin: ObjectOrigin | undefined;
  config: T | undefined;
  status: ObjectStatus;
  errors: AffineurError[];
}

export interface RuntimeRouter<R> extends RuntimeObject<RouterConfig> {
  /** The entryPoints it serves, after applying `asDefault`. */
  entryPoints: string[];
  rule: R | undefined;
}

export interface RuntimeConfig<R> {
  routers: Map<string, RuntimeRouter<R>>;
  services: Map<string, RuntimeObject<ServiceConfig>>;
  middlewares: Map<string, RuntimeObject<MiddlewareConfig>>;
  serversTransports: Map<string, RuntimeObject<ServersTransportConfig>>;
  errors: AffineurError[];
}

export interface RuntimeOptions<R> {
  entryPoints: readonly { name: string; asDefault: boolean }[];
  /** Middleware types the registry can build. */
  supportedMiddlewares: ReadonlySet<string>;
  /** Services provided by the proxy itself, such as `ping@internal`. */
  internalServices: ReadonlySet<string>;
  /** Compiles a rule; throws an AffineurError that says where the rule is wrong. */
  compileRule: (rule: string) => R;
}

export function buildRuntimeConfig<R>(objects: DynamicObjects, options: RuntimeOptions<R>): RuntimeConfig<R> {
  const runtime: RuntimeConfig<R> = {
    routers: new Map(),
    services: new Map(),
    middlewares: new Map(),
    serversTransports: new Map(),
    errors: [...objects.errors],
  };
  for (const [name, object] of objects.serversTransports) {
    const entry = fromObject(object);
    runtime.serversTransports.set(name, entry);
    if (entry.config) checkTransportTls(entry);
  }
  const tlsOptions = new Set(['default', ...(objects.tls?.options.keys() ?? [])]);
  for (const [name, object] of objects.middlewares) {
    const entry = fromObject(object);
    runtime.middlewares.set(name, entry);
    if (entry.config) checkMiddleware(entry, options.supportedMiddlewares);
  }
  for (const [name, object] of objects.services) runtime.services.set(name, fromObject(object));
  const serviceCheck = new ServiceChecker(runtime, options.internalServices);
  for (const name of runtime.services.keys()) serviceCheck.check(name, []);

  const defaults = options.entryPoints.filter((ep) => ep.asDefault).map((ep) => ep.name);
  const allEntryPoints = options.entryPoints.map((ep) => ep.name);
  for (const [name, object] of objects.routers) {
    const router: RuntimeRouter<R> = {
      ...fromObject(object),
      entryPoints: [],
      rule: undefined,
    };
    runtime.routers.set(name, router);
    const config = router.config;
    if (!config) continue;
    router.entryPoints = config.entryPoints ?? (defaults.length > 0 ? defaults : allEntryPoints);
    for (const ep of router.entryPoints) {
      if (!allEntryPoints.includes(ep)) {
        fail(router, 'AFF_ERR_PROXY_UNKNOWN_REFERENCE', `entryPoint "${ep}" does not exist.`, 'entryPoints', {
          hint: `Known entryPoints: ${allEntryPoints.join(', ') || '(none)'}.`,
        });
      }
    }
    try {
      router.rule = options.compileRule(config.rule);
    } catch (error) {
      if (!(error instanceof AffineurError)) throw error;
      fail(router, error.code, `invalid rule: ${error.message.replace(/^AFF_ERR_[A-Z_]+: /, '')}`, 'rule');
    }
    for (const middleware of config.middlewares) {
      requireEnabled(router, runtime.middlewares, middleware, 'middleware', 'middlewares');
    }
    const optionsName = config.tls?.options;
    if (optionsName !== undefined && !tlsOptions.has(optionsName)) {
      fail(router, 'AFF_ERR_PROXY_TLS_OPTIONS', `TLS options "${optionsName}" do not exist.`, 'tls.options', {
        hint: 'Define them under tls.options (qualified names: name@provider), or use "default".',
      });
    }
    if (!options.internalServices.has(config.service)) {
      requireEnabled(router, runtime.services, config.service, 'service', 'service');
    }
  }
  return runtime;
}

/** Reads the transport's CA and client certificate files now, so that a bad one disables only it. */
function checkTransportTls(transport: RuntimeObject<ServersTransportConfig>): void {
  try {
    upstreamTlsOptions(
      transport.config as ServersTransportConfig,
      transport.origin?.keyPath ?? transport.name,
    );
  } catch (error) {
    if (!(error instanceof AffineurError)) throw error;
    transport.status = 'disabled';
    transport.errors.push(
      transport.origin?.file && !error.file
        ? new AffineurError(error.code, error.detail, {
            file: transport.origin.file,
            ...(error.keyPath ? { keyPath: error.keyPath } : {}),
            ...(error.hint ? { hint: error.hint } : {}),
          })
        : error,
    );
  }
}

function fromObject<T>(object: ConfigObject<T>): RuntimeObject<T> {
  return {
    name: object.name,
    origin: object.origin,
    config: object.value,
    status: object.value === undefined ? 'disabled' : 'enabled',
    errors: [...object.errors],
  };
}

function fail(
  object: RuntimeObject<unknown>,
  code: AffineurError['code'],
  message: string,
  key: string,
  extra: { hint?: string } = {},
): void {
  object.status = 'disabled';
  const line = object.origin?.lineOf?.(relativeKeyPath(key));
  object.errors.push(
    new AffineurError(code, message, {
      ...(object.origin?.file ? { file: object.origin.file } : {}),
      ...(line === undefined ? {} : { line }),
      keyPath: `${object.origin?.keyPath ?? object.name}.${key}`,
      ...extra,
    }),
  );
}

function requireEnabled(
  object: RuntimeObject<unknown>,
  targets: Map<string, RuntimeObject<unknown>>,
  name: string,
  what: string,
  key: string,
): boolean {
  const target = targets.get(name);
  if (!target) {
    fail(object, 'AFF_ERR_PROXY_UNKNOWN_REFERENCE', `${what} "${name}" does not exist.`, key, {
      hint: `Define it, or check the name and its @provider suffix.`,
    });
    return false;
  }
  if (target.status !== 'enabled') {
    fail(object, 'AFF_ERR_PROXY_DISABLED_REFERENCE', `${what} "${name}" is disabled by an error.`, key, {
      hint: `Fix ${what} "${name}" first; its own error says how.`,
    });
    return false;
  }
  return true;
}

function checkMiddleware(middleware: RuntimeObject<MiddlewareConfig>, supported: ReadonlySet<string>): void {
  const config = middleware.config as Record<string, unknown>;
  const type = Object.keys(config).find((key) => config[key] !== undefined) as HttpMiddlewareType;
  if (!supported.has(type)) {
    fail(
      middleware,
      'AFF_ERR_PROXY_MIDDLEWARE_UNSUPPORTED',
      `the ${type} middleware is not supported yet.`,
      type,
      {
        hint: 'Routers that use this middleware are disabled; the others keep serving.',
      },
    );
  }
}

/** Walks service references depth-first, so a child's status is known before its parent's. */
class ServiceChecker {
  readonly #runtime: RuntimeConfig<unknown>;
  readonly #internal: ReadonlySet<string>;
  readonly #done = new Set<string>();

  constructor(runtime: RuntimeConfig<unknown>, internal: ReadonlySet<string>) {
    this.#runtime = runtime;
    this.#internal = internal;
  }

  check(name: string, stack: string[]): void {
    if (this.#done.has(name)) return;
    const service = this.#runtime.services.get(name);
    if (!service) return;
    const config = service.config;
    this.#done.add(name);
    if (!config) return;
    const path = [...stack, name];
    const child = (ref: string, key: string) => {
      if (this.#internal.has(ref)) return;
      if (path.includes(ref)) {
        fail(service, 'AFF_ERR_PROXY_SERVICE_CYCLE', `service "${ref}" refers back to itself.`, key, {
          hint: `The loop is ${[...path.slice(path.indexOf(ref)), ref].join(' -> ')}.`,
        });
        return;
      }
      this.check(ref, path);
      requireEnabled(service, this.#runtime.services, ref, 'service', key);
    };
    if (config.loadBalancer?.serversTransport !== undefined) {
      const transport = config.loadBalancer.serversTransport;
      if (transport !== 'default@internal') {
        requireEnabled(
          service,
          this.#runtime.serversTransports,
          transport,
          'serversTransport',
          'loadBalancer.serversTransport',
        );
      }
    }
    config.weighted?.services.forEach((s, i) => {
      child(s.name, `weighted.services[${i}].name`);
    });
    if (config.mirroring) {
      child(config.mirroring.service, 'mirroring.service');
      config.mirroring.mirrors.forEach((m, i) => {
        child(m.name, `mirroring.mirrors[${i}].name`);
      });
    }
    if (config.failover) {
      child(config.failover.service, 'failover.service');
      child(config.failover.fallback, 'failover.fallback');
    }
  }
}

/** `middlewares[1]` as `['middlewares', 1]`, for locating its line; [] if it cannot be split. */
function relativeKeyPath(key: string): (string | number)[] {
  try {
    return splitDottedPath(key);
  } catch {
    return [];
  }
}
