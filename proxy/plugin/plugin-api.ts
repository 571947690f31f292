/**
 * The contract of a local plugin: an ES module that affineur imports at start, declared in the
 * install configuration under `experimental.localPlugins.<name>.moduleName` and used in routing
 * configuration as `plugin: { <name>: {...options} }`.
 *
 * It mirrors Traefik's Go plugins (`CreateConfig()` and `New(ctx, next, config, name)`) and our
 * own MiddlewareFactory: `New` runs once per configuration build and router, and returns the
 * handler that serves each request. See docs/plugins.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../src/log/logger.js';
import type { Handler, RequestContext } from '../middleware/handler.js';

export type { Handler, RequestContext };

export interface PluginContext {
  /** A logger that already names the plugin, the middleware and the router. */
  logger: Logger;
  /** The router this instance serves; each router gets its own instance. */
  routerName: string;
  /** Aborts when the configuration that built this instance is replaced: stop timers here. */
  signal: AbortSignal;
  /** The environment variables listed in `settings.envs`, and only those. */
  env: Readonly<Record<string, string>>;
}

/** A request handler; it may be async. A throw or a rejection answers 500 and is logged. */
export type PluginHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RequestContext,
) => void | Promise<void>;

export interface MiddlewarePlugin<Config = Record<string, unknown>> {
  /** Default options, like Traefik's `CreateConfig()`; the routing options are merged over them. */
  createConfig?: () => Config;
  /**
   * Validates the merged options (anything with `parse`, such as a zod schema). What it throws
   * disables the routers using the middleware, with the message, like any invalid option.
   */
  configSchema?: { parse(value: unknown): Config };
  /** Builds the handler; like Traefik's `New(ctx, next, config, name)`. May be async. */
  New: (
    context: PluginContext,
    next: Handler,
    config: Config,
    name: string,
  ) => PluginHandler | Promise<PluginHandler>;
}

/** Identity, for type inference: `export default definePlugin({ createConfig, New })`. */
export function definePlugin<Config>(plugin: MiddlewarePlugin<Config>): MiddlewarePlugin<Config> {
  return plugin;
}
