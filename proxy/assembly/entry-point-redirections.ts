/**
 * Step 3a of the assembly: `entryPoints.<name>.http.redirections.entryPoint`, built as Traefik
 * builds it: a router of its own, `<from>-to-<to>@internal`, matching every host at the given
 * priority on the `from` entryPoint, whose handler is a redirectScheme to the `to` entryPoint's
 * port (`redirect-<from>-to-<to>@internal`).
 */

import { AffineurError } from '../../src/errors/affineur-error.js';
import type { Logger } from '../../src/log/logger.js';
import type { RouteTarget } from '../builder/build-routing.js';
import type { EntryPointConfig } from '../config/static-schema.js';
import type { Handler } from '../middleware/handler.js';
import { redirectScheme } from '../middleware/redirect-scheme/redirect-scheme.js';
import { compileRule } from '../rules/compile-rule.js';
import type { IndexedRoute } from '../rules/router-index.js';

const never: Handler = (_req, res) => {
  // Unreachable: the redirect answers every request of its router.
  res.writeHead(404, { 'content-length': 0 });
  res.end();
};

export function entryPointRedirections(
  entryPoints: ReadonlyMap<string, EntryPointConfig>,
  logger: Logger,
): { entryPoint: string; route: IndexedRoute<RouteTarget> }[] {
  const routes: { entryPoint: string; route: IndexedRoute<RouteTarget> }[] = [];
  for (const [from, ep] of entryPoints) {
    const redirect = ep.http.redirections?.entryPoint;
    if (!redirect) continue;
    const port = targetPort(redirect.to, entryPoints, from);
    const routerName = `${from}-to-${redirect.to.replace(/^:/, '')}@internal`;
    const handler = redirectScheme(
      { logger, routerName, signal: new AbortController().signal, service: () => never },
      never,
      { scheme: redirect.scheme, port, permanent: redirect.permanent },
      `redirect-${from}-to-${redirect.to.replace(/^:/, '')}@internal`,
    );
    routes.push({
      entryPoint: from,
      route: {
        name: routerName,
        rule: compileRule('HostRegexp(`^.+$`)'),
        priority: redirect.priority,
        target: { handler, routerName, serviceName: 'noop@internal', accessLogs: true },
      },
    });
  }
  return routes;
}

/** `to` is an entryPoint name (its port is used) or a port such as `:443` or `443`. */
function targetPort(to: string, entryPoints: ReadonlyMap<string, EntryPointConfig>, from: string): string {
  const ep = entryPoints.get(to);
  if (ep) return /:(\d+)(\/tcp)?$/.exec(ep.address)?.[1] ?? '';
  const port = /^:?(\d+)$/.exec(to)?.[1];
  if (port) return port;
  throw new AffineurError('AFF_ERR_PROXY_UNKNOWN_REFERENCE', `entryPoint "${to}" does not exist.`, {
    keyPath: `entryPoints.${from}.http.redirections.entryPoint.to`,
    hint: 'Name an entryPoint, or give a port such as ":443".',
  });
}
