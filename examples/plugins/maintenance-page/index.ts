/**
 * An example local plugin: a maintenance page. While `enabled`, every request gets `status`
 * (503) with a small HTML page and a `Retry-After`, except clients in `allowedIPs` (the team
 * checking the deployment) and paths under `passPaths` (health checks). Turn it on and off by
 * editing the routing configuration: the change applies live.
 *
 *   # install configuration
 *   experimental:
 *     localPlugins:
 *       maintenance:
 *         moduleName: ./examples/plugins/maintenance-page
 *   # routing configuration
 *   http:
 *     middlewares:
 *       down-for-upgrade:
 *         plugin:
 *           maintenance:
 *             enabled: true
 *             message: Back at 14:00 UTC.
 */
import { z } from 'zod';
import { definePlugin } from '../../../proxy/plugin/plugin-api.js';

const optionsSchema = z.strictObject({
  enabled: z.boolean(),
  status: z.number().int().min(400).max(599),
  message: z.string(),
  retryAfterSeconds: z.number().int().nonnegative(),
  allowedIPs: z.array(z.string()),
  passPaths: z.array(z.string().startsWith('/')),
});

type Options = z.output<typeof optionsSchema>;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export default definePlugin<Options>({
  createConfig: () => ({
    enabled: false,
    status: 503,
    message: 'This service is down for maintenance.',
    retryAfterSeconds: 300,
    allowedIPs: [],
    passPaths: [],
  }),
  configSchema: optionsSchema,
  New(context, next, options) {
    if (options.enabled) context.logger.warn({ router: context.routerName }, 'maintenance page is on');
    const page = `<!doctype html><title>Maintenance</title><h1>Maintenance</h1><p>${escapeHtml(options.message)}</p>\n`;
    const allowed = new Set(options.allowedIPs);
    return (req, res, ctx) => {
      const passes =
        !options.enabled ||
        allowed.has(ctx.clientAddress) ||
        options.passPaths.some((prefix) => ctx.path === prefix || ctx.path.startsWith(`${prefix}/`));
      if (passes) {
        next(req, res, ctx);
        return;
      }
      res.writeHead(options.status, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(page),
        'retry-after': String(options.retryAfterSeconds),
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : page);
    };
  },
});
