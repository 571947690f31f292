/**
 * The `plugin` middleware type: `plugin: { <name>: {...options} }` builds the middleware of the
 * local plugin `<name>`, with its options read by readPluginOptions.
 *
 * Whatever the plugin does wrong stays with the plugin: a throw or rejection from `New` makes
 * every request of that router a logged 500; a throw or rejection while serving a request (even
 * from a timer it started) makes that request a logged 500. The proxy never goes down for it.
 */
import type { ServerResponse } from 'node:http';
import { isPlainObject } from '../../src/config/normalize.js';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Handler } from '../middleware/handler.js';
import type { MiddlewareFactory } from '../middleware/middleware.js';
import { sendPlain } from '../middleware/plain-response.js';
import type { LoadedPlugins } from './local-plugins.js';
import type { PluginHandler } from './plugin-api.js';
import { runInFaultScope } from './plugin-fault-scope.js';
import { readPluginOptions } from './plugin-options.js';

export function pluginMiddleware(plugins: LoadedPlugins): MiddlewareFactory {
  return (context, next, rawOptions, name) => {
    const keyPath = `http.middlewares.${name}.plugin`;
    const entries = isPlainObject(rawOptions) ? Object.entries(rawOptions) : [];
    if (entries.length !== 1) {
      throw new AffineurError('AFF_ERR_CONFIG_INVALID', 'a plugin middleware names exactly one plugin.', {
        keyPath,
        hint: 'Write plugin: { <plugin name>: { ...options } }, with the name declared in experimental.localPlugins.',
      });
    }
    const [pluginName, options] = entries[0] as [string, unknown];
    const loaded = plugins.get(pluginName);
    if (!loaded) {
      const known = [...plugins.keys()];
      throw new AffineurError('AFF_ERR_PROXY_PLUGIN_UNKNOWN', `plugin "${pluginName}" is not declared.`, {
        keyPath: `${keyPath}.${pluginName}`,
        hint:
          known.length > 0
            ? `Declared plugins: ${known.join(', ')}.`
            : 'Declare it in the install configuration under experimental.localPlugins.<name>.moduleName.',
      });
    }
    if ('failure' in loaded) throw loaded.failure;
    const { middleware: plugin, env } = loaded;
    if (!plugin) {
      throw new AffineurError('AFF_ERR_PROXY_PLUGIN_KIND', `plugin "${pluginName}" offers no middleware.`, {
        keyPath: `${keyPath}.${pluginName}`,
        hint: 'It only exports a provider: use it under providers.plugin in the install configuration, or add a middleware (a default export, or New) to the module.',
      });
    }
    const logger = context.logger.child({ plugin: pluginName, middleware: name, router: context.routerName });
    const config = readPluginOptions(plugin, options, { pluginName, keyPath: `${keyPath}.${pluginName}` });

    const failed = (phase: string, error: unknown) =>
      logger.error(
        { err: error, code: 'AFF_ERR_PROXY_PLUGIN_FAILED' },
        `plugin "${pluginName}" failed ${phase}`,
      );
    let built: PluginHandler | undefined;
    let broken = false;
    let pending: Promise<void> | undefined;
    const markBroken = (error: unknown) => {
      if (broken) return;
      broken = true;
      failed('while building; its routes answer 500', error);
    };
    runInFaultScope({ onFault: markBroken }, () => {
      try {
        const made = plugin.New(
          { logger, routerName: context.routerName, signal: context.signal, env },
          next,
          config,
          name,
        );
        if (isPromise(made)) {
          pending = made.then((handler) => {
            if (typeof handler === 'function') built = handler;
            else markBroken(new TypeError('New did not resolve to a request handler function'));
          }, markBroken);
        } else if (typeof made === 'function') {
          built = made;
        } else {
          markBroken(new TypeError('New did not return a request handler function'));
        }
      } catch (error) {
        markBroken(error);
      }
    });

    const serve: Handler = (req, res, ctx) => {
      const handler = built;
      if (broken || !handler) {
        sendPlain(res, 500, 'Internal Server Error');
        return;
      }
      const fault = (error: unknown) => {
        failed('while serving a request', error);
        answer500(res);
      };
      runInFaultScope({ onFault: fault }, () => {
        try {
          const result = handler(req, res, ctx);
          if (isPromise(result)) result.catch(fault);
        } catch (error) {
          fault(error);
        }
      });
    };
    return (req, res, ctx) => {
      if (pending && !built && !broken) {
        pending.then(() => serve(req, res, ctx));
        return;
      }
      serve(req, res, ctx);
    };
  };
}

function answer500(res: ServerResponse): void {
  if (res.writableEnded) return;
  sendPlain(res, 500, 'Internal Server Error');
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
