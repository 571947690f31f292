/**
 * Turns one provider message into validated, qualified objects. Validation is per object, so a
 * typo in one router disables that router only; each error names the file, line and key path.
 */
import { z } from 'zod';
import type { LineLocator } from '../../src/config/locate-key.js';
import { isPlainObject, normalizeToSchema } from '../../src/config/normalize.js';
import { validateConfig } from '../../src/config/validate.js';
import { AffineurError, AffineurErrorList } from '../../src/errors/affineur-error.js';
import {
  dynamicConfigSchema,
  type HttpObjectKind,
  httpObjectKinds,
  httpObjectSchemas,
  type RouterConfig,
  type ServiceConfig,
  tlsCertificateSchema,
  tlsOptionsSchema,
  tlsStoreSchema,
} from '../config/dynamic-schema.js';
import type { ConfigDocument, ConfigMessage } from '../provider/provider.js';
import {
  type ConfigObject,
  type DynamicObjects,
  emptyDynamicObjects,
  emptyTlsObjects,
  type ObjectOrigin,
} from './dynamic-objects.js';
import { qualifyName } from './qualified-name.js';

/** The document's outline: which sections and object maps exist. Objects are checked one by one. */
const outlineSchema = z.strictObject({
  http: z
    .strictObject(
      Object.fromEntries(httpObjectKinds.map((kind) => [kind, z.record(z.string(), z.unknown())])),
    )
    .partial()
    .optional(),
  tcp: dynamicConfigSchema.shape.tcp,
  udp: dynamicConfigSchema.shape.udp,
  tls: z
    .strictObject({
      certificates: z.array(z.unknown()),
      options: z.record(z.string(), z.unknown()),
      stores: z.record(z.string(), z.unknown()),
    })
    .partial()
    .optional(),
});

export function readProviderConfig(message: ConfigMessage): DynamicObjects {
  const objects = emptyDynamicObjects();
  for (const document of message.documents) readDocument(document, message.provider, objects);
  return objects;
}

function readDocument(document: ConfigDocument, provider: string, objects: DynamicObjects): void {
  const origin = {
    source: document.file ?? `the ${provider} provider`,
    isFile: document.file !== undefined,
    ...(document.locate ? { locate: document.locate } : {}),
  };
  const value = normalizeToSchema(document.value ?? {}, dynamicConfigSchema);
  try {
    validateConfig(outlineSchema, value, origin);
  } catch (error) {
    objects.errors.push(...flatten(error));
  }
  if (isPlainObject(value) && isPlainObject(value.tls)) readTls(value.tls, provider, document, objects);
  if (!isPlainObject(value) || !isPlainObject(value.http)) return;
  for (const kind of httpObjectKinds) {
    const section = value.http[kind];
    if (!isPlainObject(section)) continue;
    for (const [name, raw] of Object.entries(section)) {
      const object = readObject(kind, name, raw, provider, document, origin.locate);
      const map = objects[kind] as Map<string, ConfigObject<unknown>>;
      const existing = map.get(object.name);
      if (existing) {
        existing.errors.push(
          new AffineurError(
            'AFF_ERR_PROXY_DUPLICATE_OBJECT',
            `${singular(kind)} "${name}" is defined twice.`,
            {
              ...(document.file ? { file: document.file } : {}),
              keyPath: object.origin.keyPath,
              hint: `It is also defined in ${existing.origin.file ?? 'the same source'}; keep one definition.`,
            },
          ),
        );
        existing.value = undefined;
        continue;
      }
      map.set(object.name, object);
    }
  }
}

function readObject(
  kind: HttpObjectKind,
  name: string,
  raw: unknown,
  provider: string,
  document: ConfigDocument,
  locate: LineLocator | undefined,
): ConfigObject<unknown> {
  const keyPath = ['http', kind, name];
  const objectOrigin: ObjectOrigin = {
    provider,
    keyPath: keyPath.join('.'),
    ...(document.file ? { file: document.file } : {}),
    ...(locate ? { lineOf: (relative) => locate([...keyPath, ...relative]) } : {}),
  };
  const qualified = qualifyName(name, provider);
  if (name.includes('@')) {
    const error = new AffineurError('AFF_ERR_PROXY_NAME_HAS_AT', `the name "${name}" contains "@".`, {
      ...(document.file ? { file: document.file, line: locate?.(keyPath) } : {}),
      keyPath: keyPath.join('.'),
      hint: '"@" separates a name from its provider (name@provider); rename the object without it.',
    });
    return {
      name: `${name.replaceAll('@', '_')}@${provider}`,
      origin: objectOrigin,
      value: undefined,
      errors: [error],
    };
  }
  // Validated on its own, against its kind's schema (built once): a schema or a wrapper object
  // keyed by each name would cost a zod schema per object and, worse, leave V8 with thousands
  // of object shapes that slow every later object literal. The key path prefix keeps errors
  // and lines exact.
  try {
    const value = validateConfig(httpObjectSchemas[kind], raw, {
      source: document.file ?? `the ${provider} provider`,
      isFile: document.file !== undefined,
      ...(locate ? { locate } : {}),
      keyPathPrefix: keyPath,
    });
    return {
      name: qualified,
      origin: objectOrigin,
      value: qualifyReferences(kind, value, provider),
      errors: [],
    };
  } catch (error) {
    return { name: qualified, origin: objectOrigin, value: undefined, errors: flatten(error) };
  }
}

/** References without `@` point into the same provider; `x@other` reaches across providers. */
function qualifyReferences(kind: HttpObjectKind, value: unknown, provider: string): unknown {
  const q = (name: string) => qualifyName(name, provider);
  if (kind === 'routers') {
    const router = value as RouterConfig;
    const tls = router.tls;
    return {
      ...router,
      service: q(router.service),
      middlewares: router.middlewares.map(q),
      ...(tls?.options === undefined
        ? {}
        : { tls: { ...tls, options: qualifyTlsOptions(tls.options, provider) } }),
    };
  }
  if (kind === 'services') {
    const service = value as ServiceConfig;
    if (service.loadBalancer?.serversTransport !== undefined) {
      return {
        loadBalancer: { ...service.loadBalancer, serversTransport: q(service.loadBalancer.serversTransport) },
      };
    }
    if (service.weighted) {
      return {
        weighted: {
          ...service.weighted,
          services: service.weighted.services.map((s) => ({ ...s, name: q(s.name) })),
        },
      };
    }
    if (service.mirroring) {
      const m = service.mirroring;
      return {
        mirroring: {
          ...m,
          service: q(m.service),
          mirrors: m.mirrors.map((x) => ({ ...x, name: q(x.name) })),
        },
      };
    }
    if (service.failover) {
      return {
        failover: {
          ...service.failover,
          service: q(service.failover.service),
          fallback: q(service.failover.fallback),
        },
      };
    }
  }
  if (kind === 'middlewares') {
    const chain = (value as { chain?: unknown }).chain;
    if (isPlainObject(chain) && Array.isArray(chain.middlewares)) {
      const middlewares = chain.middlewares.map((m) => (typeof m === 'string' ? q(m) : m));
      return { ...(value as object), chain: { ...chain, middlewares } };
    }
  }
  return value;
}

/** `default` is everyone's default options, never qualified (Traefik's rule). */
export function qualifyTlsOptions(name: string, provider: string): string {
  return name === 'default' ? name : qualifyName(name, provider);
}

function readTls(
  section: Record<string, unknown>,
  provider: string,
  document: ConfigDocument,
  objects: DynamicObjects,
): void {
  objects.tls ??= emptyTlsObjects();
  const tls = objects.tls;
  const read = <T>(
    schema: z.ZodType<T>,
    keyPath: (string | number)[],
    raw: unknown,
    name: string,
  ): ConfigObject<T> => {
    const origin: ObjectOrigin = {
      provider,
      keyPath: keyPath.join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]'),
      ...(document.file ? { file: document.file } : {}),
      ...(document.locate ? { lineOf: (relative) => document.locate?.([...keyPath, ...relative]) } : {}),
    };
    try {
      const value = validateConfig(schema, raw, {
        source: document.file ?? `the ${provider} provider`,
        isFile: document.file !== undefined,
        ...(document.locate ? { locate: document.locate } : {}),
        keyPathPrefix: keyPath,
      });
      return { name, origin, value, errors: [] };
    } catch (error) {
      return { name, origin, value: undefined, errors: flatten(error) };
    }
  };
  if (Array.isArray(section.certificates)) {
    section.certificates.forEach((raw, i) => {
      tls.certificates.push(
        read(tlsCertificateSchema, ['tls', 'certificates', i], raw, `tls.certificates[${i}]@${provider}`),
      );
    });
  }
  if (isPlainObject(section.options)) {
    for (const [name, raw] of Object.entries(section.options)) {
      tls.options.set(
        qualifyTlsOptions(name, provider),
        read(tlsOptionsSchema, ['tls', 'options', name], raw, name),
      );
    }
  }
  if (isPlainObject(section.stores)) {
    for (const [name, raw] of Object.entries(section.stores)) {
      tls.stores.set(name, read(tlsStoreSchema, ['tls', 'stores', name], raw, name));
    }
  }
}

function flatten(error: unknown): AffineurError[] {
  if (error instanceof AffineurErrorList) return [...error.errors];
  if (error instanceof AffineurError) return [error];
  throw error;
}

function singular(kind: HttpObjectKind): string {
  return {
    routers: 'router',
    services: 'service',
    middlewares: 'middleware',
    serversTransports: 'serversTransport',
  }[kind];
}
