/**
 * Step 4 of the assembly: turns each merged configuration into routing and swaps it into every
 * entryPoint at once. The runtime validates, the builder builds; if either throws, the routing
 * in service stays, so requests never see a half-built or broken configuration.
 */
import type { Logger } from '../../src/log/logger.js';
import { type BuildOptions, buildRouting, type Routing } from '../builder/build-routing.js';
import type { EntryPointConfig } from '../config/static-schema.js';
import { supportedMiddlewareTypes } from '../middleware/middleware.js';
import type { CompiledRule } from '../rules/compile-rule.js';
import { compileRule } from '../rules/compile-rule.js';
import { buildRuntimeConfig, type RuntimeConfig } from '../runtime/runtime-config.js';
import type { EntryPointServer } from '../server/entry-point-server.js';
import type { TlsSnapshot } from '../tls/build-tls.js';
import type { DynamicObjects } from '../watcher/dynamic-objects.js';
import type { TlsLayer } from './tls-layer.js';

export type AppliedListener = (runtime: RuntimeConfig<CompiledRule>) => void;

export interface RoutingApplierOptions {
  entryPoints: ReadonlyMap<string, EntryPointConfig>;
  servers: ReadonlyMap<string, EntryPointServer>;
  logger: Logger;
  /** Everything the builder needs but the runtime config. */
  build: BuildOptions;
  /** Certificates and TLS options, rebuilt and swapped with the routing. */
  tls?: TlsLayer;
}

export const emptyDynamicObjects: DynamicObjects = {
  routers: new Map(),
  services: new Map(),
  middlewares: new Map(),
  serversTransports: new Map(),
  errors: [],
};

export class RoutingApplier {
  readonly #options: RoutingApplierOptions;
  readonly #listeners: AppliedListener[] = [];
  #current: { routing: Routing; runtime: RuntimeConfig<CompiledRule> } | undefined;

  constructor(options: RoutingApplierOptions) {
    this.#options = options;
  }

  get runtime(): RuntimeConfig<CompiledRule> | undefined {
    return this.#current?.runtime;
  }

  onApplied(listener: AppliedListener): void {
    this.#listeners.push(listener);
  }

  readonly apply = (objects: DynamicObjects): void => {
    const { entryPoints, servers, logger, build } = this.#options;
    let runtime: RuntimeConfig<CompiledRule>;
    let routing: Routing;
    let tls: TlsSnapshot | undefined;
    try {
      runtime = buildRuntimeConfig(objects, {
        entryPoints: [...entryPoints].map(([name, ep]) => ({ name, asDefault: ep.asDefault })),
        supportedMiddlewares: supportedMiddlewareTypes,
        internalServices: new Set(build.internalServices.keys()),
        compileRule,
      });
      routing = buildRouting(runtime, build);
      tls = this.#options.tls?.build(objects, runtime);
    } catch (error) {
      logger.error(
        { err: error },
        'the new routing configuration could not be built; the previous one stays in service',
      );
      return;
    }
    for (const [name, server] of servers) {
      server.setTls(tls);
      server.setRouting(routing.entryPoints.get(name), routing.secureEntryPoints.get(name));
    }
    const previous = this.#current;
    this.#current = { routing, runtime };
    previous?.routing.close();
    logRuntime(runtime, logger);
    for (const listener of this.#listeners) listener(runtime);
  };

  close(): void {
    this.#current?.routing.close();
  }
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
