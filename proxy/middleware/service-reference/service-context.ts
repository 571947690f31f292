/**
 * Some middlewares send requests to a service of their own (errors pages). The builder gives
 * them the services it built, through this extension of the middleware context; a reference
 * is resolved as a router's `service` is: `name` in the middleware's own provider, or
 * `name@provider`.
 */
import { AffineurError } from '../../../src/errors/affineur-error.js';
import type { Handler } from '../handler.js';
import type { MiddlewareContext } from '../middleware.js';

export interface ServiceAwareContext extends MiddlewareContext {
  /** The handler of a qualified service name; throws an AffineurError when it cannot serve. */
  service(name: string): Handler;
}

/** Resolves `reference` for the middleware `middlewareName` (`name@provider`). */
export function serviceFor(context: MiddlewareContext, middlewareName: string, reference: string): Handler {
  const lookup = (context as Partial<ServiceAwareContext>).service;
  if (!lookup) {
    throw new AffineurError(
      'AFF_ERR_PROXY_UNKNOWN_REFERENCE',
      `service "${reference}" cannot be reached here.`,
      {
        hint: 'This middleware needs the routing builder, which provides services to middlewares.',
      },
    );
  }
  return lookup(qualifyFor(middlewareName, reference));
}

/** `x` means `x@<provider of the middleware>`; `x@other` is kept. */
export function qualifyFor(middlewareName: string, reference: string): string {
  if (reference.includes('@')) return reference;
  const at = middlewareName.lastIndexOf('@');
  return at < 0 ? reference : `${reference}${middlewareName.slice(at)}`;
}
