/**
 * The routing configuration after the watcher: every object of every provider, under its
 * qualified name, each carrying either its validated value or the errors that disabled it.
 */
import type { AffineurError } from '../../src/errors/affineur-error.js';
import type {
  MiddlewareConfig,
  RouterConfig,
  ServersTransportConfig,
  ServiceConfig,
} from '../config/dynamic-schema.js';

export interface ObjectOrigin {
  provider: string;
  file?: string;
  /** Key path inside the document, e.g. `http.routers.api`. */
  keyPath: string;
  /** The line of a key inside the object (`['service']`, `['basicAuth', 'realm']`) in `file`. */
  lineOf?: (relativeKeyPath: readonly (string | number)[]) => number | undefined;
}

export interface ConfigObject<T> {
  /** Qualified name, `name@provider`. */
  name: string;
  origin: ObjectOrigin;
  /** Undefined when the object failed validation; `errors` then says why. */
  value: T | undefined;
  errors: AffineurError[];
}

export interface DynamicObjects {
  routers: Map<string, ConfigObject<RouterConfig>>;
  services: Map<string, ConfigObject<ServiceConfig>>;
  middlewares: Map<string, ConfigObject<MiddlewareConfig>>;
  serversTransports: Map<string, ConfigObject<ServersTransportConfig>>;
  /** Problems that belong to no single object (an unsupported section, a parse error). */
  errors: AffineurError[];
}

export function emptyDynamicObjects(): DynamicObjects {
  return {
    routers: new Map(),
    services: new Map(),
    middlewares: new Map(),
    serversTransports: new Map(),
    errors: [],
  };
}

/** Names are already qualified, so maps from different providers never collide. */
export function mergeDynamicObjects(parts: Iterable<DynamicObjects>): DynamicObjects {
  const merged = emptyDynamicObjects();
  for (const part of parts) {
    for (const [name, object] of part.routers) merged.routers.set(name, object);
    for (const [name, object] of part.services) merged.services.set(name, object);
    for (const [name, object] of part.middlewares) merged.middlewares.set(name, object);
    for (const [name, object] of part.serversTransports) merged.serversTransports.set(name, object);
    merged.errors.push(...part.errors);
  }
  return merged;
}
