/**
 * The routing configuration after the watcher: every object of every provider, under its
 * qualified name, each carrying either its validated value or the errors that disabled it.
 */
import { AffineurError } from '../../src/errors/affineur-error.js';
import type {
  MiddlewareConfig,
  RouterConfig,
  ServersTransportConfig,
  ServiceConfig,
  TlsCertificateConfig,
  TlsOptionsConfig,
  TlsStoreConfig,
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
  /** The `tls` section of every provider; absent when none has one. */
  tls?: TlsObjects;
  /** Problems that belong to no single object (an unsupported section, a parse error). */
  errors: AffineurError[];
}

/**
 * `tls.certificates` of all providers in one list (each named `tls.certificates[i]@provider`),
 * `tls.options` under qualified names (`default` stays `default`, as in Traefik), and
 * `tls.stores` by name (only `default` is used).
 */
export interface TlsObjects {
  certificates: ConfigObject<TlsCertificateConfig>[];
  options: Map<string, ConfigObject<TlsOptionsConfig>>;
  stores: Map<string, ConfigObject<TlsStoreConfig>>;
}

export function emptyTlsObjects(): TlsObjects {
  return { certificates: [], options: new Map(), stores: new Map() };
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
    if (part.tls) {
      merged.tls ??= emptyTlsObjects();
      mergeTls(merged.tls, part.tls);
    }
  }
  return merged;
}

/** `default` options or a store defined by two providers: neither wins, as in Traefik. */
function mergeTls(into: TlsObjects, part: TlsObjects): void {
  into.certificates.push(...part.certificates);
  for (const kind of ['options', 'stores'] as const) {
    const map = into[kind] as Map<string, ConfigObject<unknown>>;
    for (const [name, object] of part[kind] as Map<string, ConfigObject<unknown>>) {
      const existing = map.get(name);
      if (!existing) {
        map.set(name, object);
        continue;
      }
      const error = new AffineurError(
        'AFF_ERR_PROXY_DUPLICATE_OBJECT',
        `tls.${kind}.${name} is defined by two providers (${existing.origin.provider} and ${object.origin.provider}).`,
        {
          keyPath: object.origin.keyPath,
          hint: 'Define it in one provider only; until then neither definition is used.',
        },
      );
      map.set(name, { ...existing, value: undefined, errors: [...existing.errors, error] });
    }
  }
}
