/**
 * An example provider plugin: routes from a registry file that deploy scripts write. The file
 * is JSON, a service name to the URLs of its servers:
 *
 *   { "api": ["http://10.0.0.5:8080", "http://10.0.0.6:8080"], "shop": ["http://10.0.0.7:3000"] }
 *
 * and each service gets a router for `Host(<service>.<domain>)`, load-balanced over its servers.
 * The plugin re-reads the file every `pollInterval` and emits a new configuration when it
 * changed; a file that is missing or not valid JSON is logged and the routes last emitted keep
 * serving, so a half-written file never takes a service down.
 *
 *   # install configuration
 *   experimental:
 *     localPlugins:
 *       registry:
 *         moduleName: ./examples/plugins/service-registry
 *   providers:
 *     plugin:
 *       registry:
 *         registryFile: /var/lib/deploy/services.json
 *         domain: apps.example.com
 *         middlewares: [compress@file]   # optional, on every router
 *
 * Its routers and services are named `<service>@plugin-registry`, so a file-provider router can
 * send traffic to `api@plugin-registry` too.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { type DynamicConfiguration, defineProviderPlugin } from '../../../proxy/plugin/plugin-api.js';
import { durationSchema } from '../../../src/config/duration.js';

const optionsSchema = z.strictObject({
  registryFile: z.string().min(1),
  domain: z.string().regex(/^[a-z0-9.-]+$/i, { message: 'expected a domain such as apps.example.com' }),
  entryPoints: z.array(z.string()).optional(),
  middlewares: z.array(z.string()).default([]),
  pollInterval: durationSchema.default(2000),
});

const registrySchema = z.record(
  z.string().regex(/^[a-z0-9-]+$/, { message: 'a service name is lower-case letters, digits and -' }),
  z.array(z.url()).min(1),
);

type Options = z.output<typeof optionsSchema>;
type Registry = z.output<typeof registrySchema>;

function routesFor(registry: Registry, options: Options): DynamicConfiguration {
  const routers: Record<
    string,
    { rule: string; service: string; entryPoints?: string[]; middlewares: string[] }
  > = {};
  const services: Record<string, { loadBalancer: { servers: { url: string }[] } }> = {};
  for (const [service, urls] of Object.entries(registry)) {
    routers[service] = {
      rule: `Host(\`${service}.${options.domain}\`)`,
      service,
      ...(options.entryPoints ? { entryPoints: options.entryPoints } : {}),
      middlewares: options.middlewares,
    };
    services[service] = { loadBalancer: { servers: urls.map((url) => ({ url })) } };
  }
  return { http: { routers, services } };
}

export const provider = defineProviderPlugin<Options>({
  configSchema: optionsSchema,
  New(context, options) {
    return {
      async provide(emit, signal) {
        let lastText: string | undefined;
        const poll = async () => {
          let text: string;
          try {
            text = await readFile(options.registryFile, 'utf8');
          } catch (error) {
            context.logger.warn(
              { err: error },
              'cannot read the registry file; the last routes keep serving',
            );
            return;
          }
          if (text === lastText) return;
          lastText = text;
          let registry: Registry;
          try {
            registry = registrySchema.parse(JSON.parse(text));
          } catch (error) {
            context.logger.warn(
              { err: error },
              'the registry file is not valid; the last routes keep serving',
            );
            return;
          }
          emit(routesFor(registry, options));
        };
        await poll();
        // One read at a time: the next is scheduled when the previous is done.
        let timer: NodeJS.Timeout | undefined;
        const schedule = () => {
          timer = setTimeout(
            () => void poll().then(() => signal.aborted || schedule()),
            options.pollInterval,
          );
        };
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
        if (!signal.aborted) schedule();
      },
    };
  },
});
