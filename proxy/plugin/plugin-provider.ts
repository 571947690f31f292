/**
 * A provider plugin as one of our providers. Its namespace is Traefik's, `plugin-<name>`, so
 * routing configuration that names `whoami@plugin-demo` works unchanged on both. What it emits
 * goes to the watcher like a file provider's document: each object is validated on its own,
 * and a bad one is disabled with an error naming the provider and the key path.
 *
 * Whatever the plugin does wrong stays with the plugin: a throw or rejection from `New` or
 * `provide` (even from a timer it started), or an emission that is not an object, is logged
 * with the plugin's name; the configuration it last emitted stays in service, and the other
 * providers carry on.
 */
import { isPlainObject } from '../../src/config/normalize.js';
import type { Logger } from '../../src/log/logger.js';
import type { ConfigMessage, Provider } from '../provider/provider.js';
import type { ProviderPlugin, ProviderPluginInstance } from './plugin-api.js';
import { outsideFaultScope, runInFaultScope } from './plugin-fault-scope.js';

export interface PluginProviderOptions {
  /** The name under experimental.localPlugins and providers.plugin. */
  pluginName: string;
  plugin: ProviderPlugin<unknown>;
  /** The options, already read by readPluginOptions. */
  config: unknown;
  env: Readonly<Record<string, string>>;
  /**
   * How long the proxy's start waits for the first configuration. A plugin waiting on a slow
   * source must not hold every entryPoint back: past this, the proxy starts without it, and
   * applies its configuration when it comes.
   */
  firstConfigurationWaitMs?: number;
}

export class PluginProvider implements Provider {
  readonly name: string;
  readonly #options: PluginProviderOptions;

  constructor(options: PluginProviderOptions) {
    this.#options = options;
    this.name = `plugin-${options.pluginName}`;
  }

  start(emit: (message: ConfigMessage) => void, signal: AbortSignal, logger: Logger): Promise<void> {
    const { pluginName, plugin, config, env } = this.#options;
    const log = logger.child({ plugin: pluginName });
    return new Promise<void>((resolve) => {
      const waitMs = this.#options.firstConfigurationWaitMs ?? 5000;
      const timer = setTimeout(() => {
        log.warn(
          `provider plugin "${pluginName}" has emitted no configuration after ${waitMs} ms; the proxy starts without it and applies it when it comes`,
        );
        resolve();
      }, waitMs);
      timer.unref();
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      signal.addEventListener('abort', ready, { once: true });

      const failed = (phase: string, error: unknown) => {
        log.error(
          { err: error, code: 'AFF_ERR_PROXY_PLUGIN_FAILED' },
          `provider plugin "${pluginName}" failed ${phase}; the configuration it last emitted, if any, stays in service`,
        );
        ready();
      };
      const forward = (configuration: unknown) =>
        outsideFaultScope(() => {
          ready();
          if (signal.aborted) return;
          if (!isPlainObject(configuration)) {
            failed(
              'to emit a configuration',
              new TypeError(`it emitted ${describeValue(configuration)}, not a configuration object`),
            );
            return;
          }
          let value: unknown;
          try {
            // A copy, through JSON as Traefik reads its plugins' configurations: the plugin may
            // keep and change its object, and what JSON cannot carry (a cycle) is refused here.
            value = JSON.parse(JSON.stringify(configuration));
          } catch (error) {
            failed('to emit a configuration', error);
            return;
          }
          emit({ provider: this.name, documents: [{ value }] });
        });

      runInFaultScope({ onFault: (error) => failed('in a callback it started', error) }, () => {
        const provide = (instance: ProviderPluginInstance | undefined) => {
          if (typeof instance?.provide !== 'function') {
            failed(
              'in New',
              new TypeError('New did not return an object with a provide(emit, signal) method'),
            );
            return;
          }
          try {
            const providing = instance.provide(forward, signal);
            // Resolving means set up (or done): nothing more to wait for.
            if (isPromise(providing)) providing.then(ready, (error) => failed('while providing', error));
          } catch (error) {
            failed('while providing', error);
          }
        };
        try {
          const made = plugin.New({ logger: log, signal, env }, config, this.name);
          if (isPromise(made)) made.then(provide, (error) => failed('in New', error));
          else provide(made);
        } catch (error) {
          failed('in New', error);
        }
      });
    });
  }
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}
