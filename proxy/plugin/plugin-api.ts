/**
 * The contract of a local plugin: an ES module that affineur imports at start, declared in the
 * install configuration under `experimental.localPlugins.<name>.moduleName`. A module offers a
 * middleware, a provider, or both:
 *
 * - the middleware is the default export (or the named exports `New`, `createConfig`), used in
 *   routing configuration as `plugin: { <name>: {...options} }`. It mirrors Traefik's Go plugins
 *   (`CreateConfig()` and `New(ctx, next, config, name)`) and our own MiddlewareFactory: `New`
 *   runs once per configuration build and router, and returns the handler for each request;
 * - the provider is the named export `provider`, used in the install configuration as
 *   `providers.plugin.<name>: {...options}`. Its `New(ctx, config, name)` runs once, at start,
 *   and what it returns emits whole routing configurations, like Traefik's provider plugins.
 *
 * See docs/plugins.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { Logger } from '../../src/log/logger.js';
import type { dynamicConfigSchema } from '../config/dynamic-schema.js';
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

export interface ProviderPluginContext {
  /** A logger that already names the plugin and the provider. */
  logger: Logger;
  /** Aborts when the proxy stops: stop polling and watching here. */
  signal: AbortSignal;
  /** The environment variables listed in `settings.envs`, and only those. */
  env: Readonly<Record<string, string>>;
}

/**
 * A routing configuration in Traefik's dynamic shape, as a file provider file holds it:
 * `{ http: { routers, services, middlewares, serversTransports } }`. Names are local to the
 * provider; `name@provider` reaches another provider's object.
 */
export type DynamicConfiguration = z.input<typeof dynamicConfigSchema>;

/** Hands affineur the provider's whole current configuration; each call replaces the last. */
export type EmitConfiguration = (configuration: DynamicConfiguration) => void;

/** What a provider plugin's `New` returns; like the `Provide` and `Stop` of Traefik's. */
export interface ProviderPluginInstance {
  /**
   * Emits the current configuration, then a new one on every change, until `signal` aborts.
   * It may return at once, once its timers or watchers are set up, or return a promise. A throw
   * or a rejection is logged; the configuration it last emitted stays in service.
   */
  provide(emit: EmitConfiguration, signal: AbortSignal): void | Promise<void>;
}

export interface ProviderPlugin<Config = Record<string, unknown>> {
  /** Default options; the options under `providers.plugin.<name>` are merged over them. */
  createConfig?: () => Config;
  /** Validates the merged options (anything with `parse`, such as a zod schema), at start. */
  configSchema?: { parse(value: unknown): Config };
  /**
   * Builds the provider, once, at start; like Traefik's `New(ctx, config, name)`. `name` is the
   * provider namespace, `plugin-<name>`, the part after `@` in the names of what it provides.
   */
  New: (
    context: ProviderPluginContext,
    config: Config,
    name: string,
  ) => ProviderPluginInstance | Promise<ProviderPluginInstance>;
}

/** Identity, for type inference: `export const provider = defineProviderPlugin({ New })`. */
export function defineProviderPlugin<Config>(plugin: ProviderPlugin<Config>): ProviderPlugin<Config> {
  return plugin;
}
