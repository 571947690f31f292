/**
 * The flat list of middlewares a router runs: the entryPoint's first, then the router's, with
 * every `chain` replaced in place by itself followed by its members (recursively). References
 * are checked here, because entryPoint middlewares and chain members are not seen by the
 * runtime's router checks; a chain that contains itself is refused.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { MiddlewareConfig } from '../config/dynamic-schema.js';
import type { RuntimeObject } from '../runtime/runtime-config.js';

export function flattenMiddlewares(
  names: readonly string[],
  lookup: (name: string) => RuntimeObject<MiddlewareConfig> | undefined,
  keyPath: string,
): string[] {
  const out: string[] = [];
  const visit = (name: string, stack: readonly string[]) => {
    if (stack.includes(name)) {
      throw new AffineurError('AFF_ERR_PROXY_MIDDLEWARE_CYCLE', `middleware "${name}" contains itself.`, {
        keyPath,
        hint: `The loop is ${[...stack.slice(stack.indexOf(name)), name].join(' -> ')}; remove one of these chain members.`,
      });
    }
    const middleware = lookup(name);
    if (!middleware) {
      throw new AffineurError('AFF_ERR_PROXY_UNKNOWN_REFERENCE', `middleware "${name}" does not exist.`, {
        keyPath,
        hint: 'Define it, or check the name and its @provider suffix.',
      });
    }
    if (middleware.status !== 'enabled' || !middleware.config) {
      throw new AffineurError(
        'AFF_ERR_PROXY_DISABLED_REFERENCE',
        `middleware "${name}" is disabled by an error.`,
        {
          keyPath,
          hint: `Fix middleware "${name}" first; its own error says how.`,
        },
      );
    }
    out.push(name);
    const members = (middleware.config.chain as { middlewares?: unknown } | undefined)?.middlewares;
    if (Array.isArray(members)) {
      for (const member of members) if (typeof member === 'string') visit(member, [...stack, name]);
    }
  };
  for (const name of names) visit(name, []);
  return out;
}
