/**
 * Assembles the proxy from its install configuration, in the order of the data flow:
 * entryPoint servers listen, providers emit, the watcher merges, the runtime validates, the
 * builder builds, and the new routing is swapped into every entryPoint at once.
 */
import type { AddressInfo } from 'node:net';
import { AffineurError } from '../src/errors/affineur-error.js';
import type { Logger } from '../src/log/logger.js';
import { buildRouting, type RouteTarget, type Routing } from './builder/build-routing.js';
import type { EntryPointConfig, StaticConfig } from './config/static-schema.js';
import { entryPointSchema } from './config/static-schema.js';
import { peerTrust } from './forward/trusted-peers.js';
import { UpstreamAgents } from './forward/upstream-agents.js';
import { createAccessLog } from './log/access-log.js';
import type { Handler } from './middleware/handler.js';
import { middlewareFactories, supportedMiddlewareTypes } from './middleware/middleware.js';
import { loadLocalPlugins } from './plugin/local-plugins.js';
import { pluginMiddleware } from './plugin/plugin-middleware.js';
import { pluginProvidersFromConfig } from './plugin/plugin-providers-from-config.js';
import { FileProvider } from './provider/file-provider.js';
import type { Provider } from './provider/provider.js';
import type { CompiledRule } from './rules/compile-rule.js';
import { compileRule } from './rules/compile-rule.js';
import type { IndexedRoute } from './rules/router-index.js';
import { buildRuntimeConfig, type RuntimeConfig } from './runtime/runtime-config.js';
import { EntryPointServer } from './server/entry-point-server.js';
import { pingHandler } from './server/ping.js';
import { ConfigurationWatcher } from './watcher/configuration-watcher.js';
import type { DynamicObjects } from './watcher/dynamic-objects.js';

export interface RunningProxy {
  /** The bound address of each entryPoint (port 0 in the config gives a free port). */
  addresses: Map<string, AddressInfo>;
  /** The runtime view of the routing in service (statuses and errors of every object). */
  runtime(): RuntimeConfig<CompiledRule> | undefined;
  /** Called after each new routing is in service. */
  onApplied(listener: (runtime: RuntimeConfig<CompiledRule>) => void): void;
  /** Graceful shutdown, honouring each entryPoint's lifeCycle. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Extra providers (tests, later issues); the file and plugin providers come from the config. */
  providers?: Provider[];
  /** The install configuration file, when it came from one: errors at start name it. */
  configFile?: string | undefined;
}

export async function startProxy(config: StaticConfig, options: StartOptions): Promise<RunningProxy> {
  const { logger } = options;
  const entryPoints = withInternalEntryPoint(config);
  const accessLog = config.accessLog ? createAccessLog(config.accessLog) : undefined;
  const agents = new UpstreamAgents();
  // Plugins load once, before any configuration is built (they cannot change while running).
  const plugins = await loadLocalPlugins(config.experimental?.localPlugins ?? {}, logger);
  const factories = { ...middlewareFactories, plugin: pluginMiddleware(plugins) };
  // Before any port is bound: a provider plugin the install configuration gets wrong stops here.
  let pluginProviders: Provider[];
  try {
    pluginProviders = pluginProvidersFromConfig({
      configured: config.providers.plugin ?? {},
      plugins,
      logger,
      configFile: options.configFile,
    });
  } catch (error) {
    accessLog?.close();
    throw error;
  }
  let terminating = false;

  const servers = new Map<string, EntryPointServer>();
  for (const [name, ep] of entryPoints) {
    servers.set(
      name,
      new EntryPointServer({
        name,
        config: ep,
        trust: peerTrust(ep.forwardedHeaders, `entryPoints.${name}.forwardedHeaders.trustedIPs`),
        logger,
        accessLog: ep.observability?.accessLogs === false ? undefined : accessLog?.write,
      }),
    );
  }

  const internalServices = new Map<string, Handler>();
  const internalRoutes: { entryPoint: string; route: IndexedRoute<RouteTarget> }[] = [];
  if (config.ping) {
    const ping = pingHandler(() => terminating, config.ping.terminatingStatusCode);
    internalServices.set('ping@internal', ping);
    if (!config.ping.manualRouting) {
      internalRoutes.push({
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
  const keepConnectionHeaders = new Set(
    [...entryPoints.values()].flatMap((ep) => ep.forwardedHeaders.connection.map((h) => h.toLowerCase())),
  );
  const entryPointMiddlewares = new Map([...entryPoints].map(([name, ep]) => [name, ep.http.middlewares]));
  const listeners: ((runtime: RuntimeConfig<CompiledRule>) => void)[] = [];
  let current: { routing: Routing; runtime: RuntimeConfig<CompiledRule> } | undefined;

  const apply = (objects: DynamicObjects) => {
    let runtime: RuntimeConfig<CompiledRule>;
    let routing: Routing;
    try {
      runtime = buildRuntimeConfig(objects, {
        entryPoints: [...entryPoints].map(([name, ep]) => ({ name, asDefault: ep.asDefault })),
        supportedMiddlewares: supportedMiddlewareTypes,
        internalServices: new Set(internalServices.keys()),
        compileRule,
      });
      routing = buildRouting(runtime, {
        logger,
        agents,
        entryPointMiddlewares,
        keepConnectionHeaders,
        internalServices,
        internalRoutes,
        factories,
      });
    } catch (error) {
      logger.error(
        { err: error },
        'the new routing configuration could not be built; the previous one stays in service',
      );
      return;
    }
    for (const [name, server] of servers) server.setRouting(routing.entryPoints.get(name));
    const previous = current;
    current = { routing, runtime };
    previous?.routing.close();
    logRuntime(runtime, logger);
    for (const listener of listeners) listener(runtime);
  };

  // Before any provider speaks, the internal routes (ping) already serve.
  apply({
    routers: new Map(),
    services: new Map(),
    middlewares: new Map(),
    serversTransports: new Map(),
    errors: [],
  });

  const addresses = new Map<string, AddressInfo>();
  try {
    for (const [name, server] of servers) addresses.set(name, await server.listen());
  } catch (error) {
    await Promise.all([...servers.values()].map((s) => s.drain(0).catch(() => undefined)));
    throw error;
  }

  const watcher = new ConfigurationWatcher({
    throttleMs: config.providers.providersThrottleDuration,
    onChange: apply,
  });
  const providers: Provider[] = [...(options.providers ?? []), ...pluginProviders];
  const file = config.providers.file;
  if (file)
    providers.push(
      new FileProvider({ filename: file.filename, directory: file.directory, watch: file.watch }),
    );
  const stopProviders = new AbortController();
  await Promise.all(
    providers.map((p) => p.start(watcher.push, stopProviders.signal, logger.child({ provider: p.name }))),
  );

  let stopping: Promise<void> | undefined;
  return {
    addresses,
    runtime: () => current?.runtime,
    onApplied: (listener) => listeners.push(listener),
    stop() {
      stopping ??= (async () => {
        terminating = true;
        stopProviders.abort();
        watcher.close();
        await Promise.all(
          [...servers.values()].map(async (server) => {
            const lifeCycle = (entryPoints.get(server.name) as EntryPointConfig).transport.lifeCycle;
            if (lifeCycle.requestAcceptGraceTimeout > 0) await delay(lifeCycle.requestAcceptGraceTimeout);
            await server.drain(lifeCycle.graceTimeOut);
          }),
        );
        current?.routing.close();
        await agents.closeAll();
        accessLog?.close();
      })();
      return stopping;
    },
  };
}

/** Traefik serves ping (and the API) on an entryPoint named `traefik`, port 8080, made on demand. */
function withInternalEntryPoint(config: StaticConfig): Map<string, EntryPointConfig> {
  const entryPoints = new Map(Object.entries(config.entryPoints));
  const wanted = config.ping && !config.ping.manualRouting ? config.ping.entryPoint : undefined;
  if (wanted && !entryPoints.has(wanted)) {
    if (wanted !== 'traefik') {
      throw new AffineurError('AFF_ERR_PROXY_UNKNOWN_REFERENCE', `entryPoint "${wanted}" does not exist.`, {
        keyPath: 'ping.entryPoint',
        hint: `Define entryPoints.${wanted}, or leave ping.entryPoint out to use "traefik" on :8080.`,
      });
    }
    entryPoints.set('traefik', entryPointSchema.parse({ address: ':8080' }));
  }
  return entryPoints;
}

function logRuntime(runtime: RuntimeConfig<CompiledRule>, logger: Logger): void {
  for (const error of runtime.errors) logger.error({ code: error.code }, error.message);
  for (const kind of ['routers', 'services', 'middlewares', 'serversTransports'] as const) {
    for (const object of runtime[kind].values()) {
      for (const error of object.errors) {
        logger.error(
          { code: error.code, [kind.replace(/s$/, '')]: object.name },
          `${object.name} is disabled: ${error.message}`,
        );
      }
    }
  }
  const enabled = [...runtime.routers.values()].filter((r) => r.status === 'enabled').length;
  logger.info({ routers: runtime.routers.size, enabled }, 'routing configuration applied');
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
