/**
 * Assembles the proxy from its install configuration, as a numbered list of steps in the order
 * of the data flow: providers are chosen, entryPoint servers made, internal services added, the
 * applier (runtime validation, builder, atomic swap) set up, ports bound, and the providers
 * started. Each step lives in `assembly/`; a new layer adds a step there, not code here.
 */
import type { AddressInfo } from 'node:net';
import type { Logger } from '../src/log/logger.js';
import type { AcmeResolver } from './acme/acme-resolver.js';
import { acmeResolvers } from './assembly/acme-resolvers.js';
import { entryPointRedirections } from './assembly/entry-point-redirections.js';
import {
  createEntryPointServers,
  drainAll,
  entryPointsWithInternal,
  listenAll,
} from './assembly/entry-point-servers.js';
import { internalRouting } from './assembly/internal-services.js';
import { providersFromConfig } from './assembly/providers-from-config.js';
import { emptyDynamicObjects, RoutingApplier } from './assembly/routing-applier.js';
import { createTlsLayer } from './assembly/tls-layer.js';
import type { StaticConfig } from './config/static-schema.js';
import { UpstreamAgents } from './forward/upstream-agents.js';
import { createAccessLog } from './log/access-log.js';
import { middlewareFactories } from './middleware/middleware.js';
import { loadLocalPlugins } from './plugin/local-plugins.js';
import { pluginMiddleware } from './plugin/plugin-middleware.js';
import type { Provider } from './provider/provider.js';
import { providerRanker } from './provider/provider-precedence.js';
import type { CompiledRule } from './rules/compile-rule.js';
import type { RuntimeConfig } from './runtime/runtime-config.js';
import { TlsAlpnChallenges } from './tls/tls-alpn-challenges.js';
import { ConfigurationWatcher } from './watcher/configuration-watcher.js';

export interface RunningProxy {
  /** The bound address of each entryPoint (port 0 in the config gives a free port). */
  addresses: Map<string, AddressInfo>;
  /** The runtime view of the routing in service (statuses and errors of every object). */
  runtime(): RuntimeConfig<CompiledRule> | undefined;
  /** The ACME certificate resolvers (`certificatesResolvers.<name>.acme`), by name. */
  acmeResolvers: ReadonlyMap<string, AcmeResolver>;
  /** Called after each new routing is in service. */
  onApplied(listener: (runtime: RuntimeConfig<CompiledRule>) => void): void;
  /** TLS-ALPN-01 challenge certificates the TLS entryPoints answer with (for ACME resolvers). */
  tlsAlpnChallenges: TlsAlpnChallenges;
  /** Graceful shutdown, honouring each entryPoint's lifeCycle. */
  stop(): Promise<void>;
}

export interface StartOptions {
  logger: Logger;
  /** Extra providers (tests, later issues); the file and plugin providers come from the config. */
  providers?: Provider[];
  /** The install configuration file, when it came from one: errors at start name it. */
  configFile?: string | undefined;
  /** The TLS-ALPN-01 registry to answer from (one is made otherwise; see RunningProxy). */
  tlsAlpnChallenges?: TlsAlpnChallenges;
}

export async function startProxy(config: StaticConfig, options: StartOptions): Promise<RunningProxy> {
  const { logger } = options;
  let terminating = false;

  // 1. Install-level pieces: plugins (loaded once, before anything is built) and the providers.
  const entryPoints = entryPointsWithInternal(config);
  const plugins = await loadLocalPlugins(config.experimental?.localPlugins ?? {}, logger);
  // One registry of TLS-ALPN-01 certificates: ACME resolvers fill it, TLS entryPoints answer from it.
  const tlsAlpnChallenges = options.tlsAlpnChallenges ?? new TlsAlpnChallenges();
  const acme = acmeResolvers({
    config,
    entryPoints,
    logger,
    configFile: options.configFile,
    tlsAlpnChallenges,
  });
  const providers = [
    ...(options.providers ?? []),
    ...providersFromConfig({ config, plugins, logger, configFile: options.configFile }),
    ...acme.resolvers.values(),
  ];

  // 2. One server per entryPoint, each with its TLS layer (certificates chosen by SNI).
  const tls = await createTlsLayer(entryPoints, tlsAlpnChallenges);
  const accessLog = config.accessLog ? createAccessLog(config.accessLog) : undefined;
  const servers = createEntryPointServers(entryPoints, logger, accessLog?.write, tls);

  // 3. What the proxy serves itself (ping, ACME HTTP-01 answers), and the entryPoint redirections.
  const internals = internalRouting(config, () => terminating, acme.httpChallenge);
  const redirections = entryPointRedirections(entryPoints, logger);

  // 4. The applier: each merged configuration is validated, built and swapped in at once.
  const agents = new UpstreamAgents();
  const applier = new RoutingApplier({
    entryPoints,
    servers,
    logger,
    tls,
    build: {
      logger,
      agents,
      entryPointMiddlewares: new Map([...entryPoints].map(([name, ep]) => [name, ep.http.middlewares])),
      entryPointTls: tls.entryPointTls,
      ...(config.serversTransport ? { defaultTransport: config.serversTransport } : {}),
      keepConnectionHeaders: new Set(
        [...entryPoints.values()].flatMap((ep) => ep.forwardedHeaders.connection.map((h) => h.toLowerCase())),
      ),
      internalServices: internals.services,
      internalRoutes: [...internals.routes, ...redirections],
      factories: { ...middlewareFactories, plugin: pluginMiddleware(plugins) },
      providerRank: providerRanker(config.providers.precedence),
    },
  });
  // Each routing in service tells the ACME resolvers which domains they must hold.
  applier.onApplied(acme.watchRouters);
  // Before any provider speaks, the internal routes (ping) already serve.
  applier.apply(emptyDynamicObjects);

  // 5. Listen.
  let addresses: Map<string, AddressInfo>;
  try {
    addresses = await listenAll(servers);
  } catch (error) {
    accessLog?.close();
    throw error;
  }

  // 6. Providers feed the watcher, which throttles, merges and hands over to the applier.
  const watcher = new ConfigurationWatcher({
    throttleMs: config.providers.providersThrottleDuration,
    onChange: applier.apply,
  });
  const stopProviders = new AbortController();
  await Promise.all(
    providers.map((p) => p.start(watcher.push, stopProviders.signal, logger.child({ provider: p.name }))),
  );

  let stopping: Promise<void> | undefined;
  return {
    addresses,
    runtime: () => applier.runtime,
    acmeResolvers: acme.resolvers,
    tlsAlpnChallenges: tls.challenges,
    onApplied: (listener) => applier.onApplied(listener),
    stop() {
      stopping ??= (async () => {
        terminating = true;
        stopProviders.abort();
        watcher.close();
        await drainAll(servers, entryPoints);
        applier.close();
        await agents.closeAll();
        accessLog?.close();
      })();
      return stopping;
    },
  };
}
