/**
 * The install (static) configuration: the Traefik v3 shape, read once at start from a file,
 * flags or env vars. Everything Traefik accepts is known here; what affineur does not implement
 * yet is marked with `notSupportedYet`, so it fails loudly instead of being ignored.
 */
import { z } from 'zod';
import { durationSchema } from '../../src/config/duration.js';
import { notSupportedYet } from '../../src/config/unsupported.js';
import { certificatesResolversSchema } from '../acme/acme-resolver-schema.js';
import { dockerProviderSchema } from '../provider/docker/docker-options-schema.js';
import { etcdProviderSchema, redisProviderSchema } from '../provider/kv/kv-options-schema.js';
import { pollIntervalSchema } from '../provider/provider-common-options.js';
import { providerTlsOptionsSchema } from '../provider/provider-tls-options.js';
import { serversTransportSchema } from './dynamic-schema.js';

const logLevels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL', 'PANIC'] as const;

const lifeCycleSchema = z.strictObject({
  /** How long to keep accepting requests after SIGTERM, before closing listeners. */
  requestAcceptGraceTimeout: durationSchema.default(0),
  /** How long in-flight requests get to finish once listeners are closed. */
  graceTimeOut: durationSchema.default(10_000),
});

const respondingTimeoutsSchema = z.strictObject({
  readTimeout: durationSchema.default(60_000),
  writeTimeout: durationSchema.default(0),
  idleTimeout: durationSchema.default(180_000),
});

const transportSchema = z.strictObject({
  lifeCycle: lifeCycleSchema.default(() => lifeCycleSchema.parse({})),
  respondingTimeouts: respondingTimeoutsSchema.default(() => respondingTimeoutsSchema.parse({})),
  keepAliveMaxRequests: z.number().int().nonnegative().default(0),
  keepAliveMaxTime: durationSchema.default(0),
});

const forwardedHeadersSchema = z.strictObject({
  insecure: z.boolean().default(false),
  trustedIPs: z.array(z.string()).default([]),
  connection: z.array(z.string()).default([]),
});

/** `entryPoints.<name>.http.redirections.entryPoint`: Traefik's generated redirection router. */
const redirectionsSchema = z.strictObject({
  entryPoint: z
    .strictObject({
      to: z.string().min(1),
      scheme: z.string().min(1).default('https'),
      permanent: z.boolean().default(true),
      /** Traefik's default is Go's MaxInt - 1: above every router a user writes. */
      priority: z
        .number()
        .int()
        .default(Number.MAX_SAFE_INTEGER - 1),
    })
    .optional(),
});

/** `entryPoints.<name>.http.tls`: TLS for every router of the entryPoint (a router's own wins). */
const entryPointTlsSchema = z.strictObject({
  options: z.string().min(1).optional(),
  certResolver: z.string().min(1).optional(),
  domains: z
    .array(z.strictObject({ main: z.string().min(1), sans: z.array(z.string()).default([]) }))
    .default([]),
});

const entryPointHttpSchema = z.strictObject({
  redirections: redirectionsSchema.optional(),
  middlewares: z.array(z.string()).default([]),
  tls: entryPointTlsSchema.optional(),
  encodeQuotedSlashes: z.boolean().default(false),
  sanitizePath: z.boolean().default(true),
  maxHeaderBytes: z
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  encodedCharacters: notSupportedYet('entryPoints.<name>.http.encodedCharacters'),
});

export const entryPointSchema = z.strictObject({
  address: z.string().regex(/^[^:]*:\d+(\/tcp)?$/, {
    message: 'expected an address such as ":8080" or "127.0.0.1:8080" (UDP is not supported yet)',
  }),
  asDefault: z.boolean().default(false),
  reusePort: z.boolean().default(false),
  allowACMEByPass: z.boolean().default(false),
  transport: transportSchema.default(() => transportSchema.parse({})),
  proxyProtocol: notSupportedYet('entryPoints.<name>.proxyProtocol'),
  forwardedHeaders: forwardedHeadersSchema.default(() => forwardedHeadersSchema.parse({})),
  http: entryPointHttpSchema.default(() => entryPointHttpSchema.parse({})),
  http2: z
    .strictObject({ maxConcurrentStreams: z.number().int().positive().default(250) })
    .default({ maxConcurrentStreams: 250 }),
  http3: notSupportedYet('HTTP/3 (entryPoints.<name>.http3)'),
  udp: notSupportedYet('UDP entryPoints'),
  observability: z
    .strictObject({
      accessLogs: z.boolean().default(true),
      metrics: notSupportedYet('metrics'),
      tracing: notSupportedYet('tracing'),
      traceVerbosity: notSupportedYet('tracing'),
    })
    .optional(),
});

const fileProviderSchema = z
  .strictObject({
    filename: z.string().optional(),
    directory: z.string().optional(),
    watch: z.boolean().default(true),
    /** Log each file's Go template and what it rendered, at debug level. */
    debugLogGeneratedTemplate: z.boolean().default(false),
  })
  .refine((file) => (file.filename === undefined) !== (file.directory === undefined), {
    message: 'set exactly one of providers.file.filename and providers.file.directory',
  });

/** `providers.http`: polls an endpoint for the whole dynamic configuration (JSON or YAML). */
const httpProviderSchema = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/, message: 'expected an http:// or https:// URL' }),
  pollInterval: pollIntervalSchema(5000),
  pollTimeout: pollIntervalSchema(5000),
  /** Sent with every poll, e.g. an Authorization header; never logged. */
  headers: z.record(z.string(), z.string()).optional(),
  /** Bytes; -1 (Traefik's default) takes answers of any size. */
  maxResponseBodySize: z.number().int().min(-1).default(-1),
  tls: providerTlsOptionsSchema.optional(),
});

/**
 * `providers.precedence`: which provider's router wins when routers of different providers tie
 * on priority, highest first; names are case-insensitive. Traefik's default order applies when
 * it is not set.
 */
const precedenceSchema = z
  .union([z.array(z.string().min(1)), z.string().min(1)])
  .transform((value) =>
    (Array.isArray(value) ? value : value.split(',')).map((name) => name.trim().toLowerCase()),
  );

/**
 * `providers.plugin.<name>`: the options of a provider plugin declared under
 * experimental.localPlugins.<name> (see docs/plugins.md). The plugin checks them itself, with
 * its configSchema, when the proxy starts. A bare `demo:` (null) means no options.
 */
const pluginProviderOptionsSchema = z
  .record(z.string(), z.unknown(), { message: 'expected the options of the plugin, a map (or nothing)' })
  .nullable()
  .transform((options) => options ?? {});

const providersSchema = z.strictObject({
  providersThrottleDuration: durationSchema.default(2000),
  precedence: precedenceSchema.optional(),
  file: fileProviderSchema.optional(),
  docker: dockerProviderSchema.optional(),
  swarm: notSupportedYet('the swarm provider (Docker Swarm mode)'),
  kubernetesIngress: notSupportedYet('the kubernetesIngress provider'),
  kubernetesIngressNGINX: notSupportedYet('the kubernetesIngressNGINX provider'),
  kubernetesCRD: notSupportedYet('the kubernetesCRD provider'),
  kubernetesGateway: notSupportedYet('the kubernetesGateway provider'),
  knative: notSupportedYet('the knative provider'),
  rest: notSupportedYet('the rest provider'),
  consulCatalog: notSupportedYet('the consulCatalog provider'),
  nomad: notSupportedYet('the nomad provider'),
  ecs: notSupportedYet('the ecs provider'),
  consul: notSupportedYet('the consul provider'),
  etcd: etcdProviderSchema.optional(),
  zooKeeper: notSupportedYet('the zooKeeper provider'),
  redis: redisProviderSchema.optional(),
  http: httpProviderSchema.optional(),
  plugin: z.record(z.string(), pluginProviderOptionsSchema).optional(),
});

const pingSchema = z.strictObject({
  entryPoint: z.string().default('traefik'),
  manualRouting: z.boolean().default(false),
  terminatingStatusCode: z.number().int().min(100).max(599).default(503),
});

const logSchema = z.strictObject({
  level: z
    .string()
    .transform((level) => level.toUpperCase())
    .pipe(z.enum(logLevels))
    .default('ERROR'),
  format: z.enum(['common', 'json']).default('common'),
  filePath: z.string().optional(),
  noColor: z.boolean().default(false),
  maxSize: notSupportedYet('log rotation (log.maxSize)'),
  maxAge: notSupportedYet('log rotation (log.maxAge)'),
  maxBackups: notSupportedYet('log rotation (log.maxBackups)'),
  compress: notSupportedYet('log rotation (log.compress)'),
  otlp: notSupportedYet('OTLP logs'),
});

const fieldModeSchema = z.enum(['keep', 'drop', 'redact']);

const accessLogSchema = z.strictObject({
  filePath: z.string().optional(),
  format: z.enum(['common', 'json']).default('common'),
  bufferingSize: z.number().int().nonnegative().default(0),
  addInternals: z.boolean().default(false),
  filters: z
    .strictObject({
      /** Status codes or ranges such as "200", "300-302". */
      statusCodes: z.array(z.union([z.string(), z.number()]).transform(String)).optional(),
      retryAttempts: z.boolean().default(false),
      minDuration: durationSchema.optional(),
    })
    .optional(),
  fields: z
    .strictObject({
      defaultMode: fieldModeSchema.default('keep'),
      names: z.record(z.string(), fieldModeSchema).default({}),
      headers: z
        .strictObject({
          defaultMode: fieldModeSchema.default('drop'),
          names: z.record(z.string(), fieldModeSchema).default({}),
        })
        .optional(),
    })
    .optional(),
  otlp: notSupportedYet('OTLP access logs'),
});

const globalSchema = z.strictObject({
  checkNewVersion: z.boolean().default(false),
  sendAnonymousUsage: z.boolean().default(false),
});

/** `experimental.localPlugins.<name>`: a plugin module loaded at start (see docs/plugins.md). */
const localPluginSchema = z.strictObject({
  moduleName: z.string().min(1),
  settings: z
    .strictObject({
      /** Environment variables handed to the plugin in its context. */
      envs: z.array(z.string()).default([]),
      mounts: notSupportedYet(
        'plugin mounts (settings.mounts: affineur plugins run in-process, not in WASM)',
      ),
      useUnsafe: notSupportedYet('settings.useUnsafe (a Yaegi interpreter option)'),
    })
    .optional(),
});

const experimentalSchema = z
  .strictObject({
    localPlugins: z.record(z.string(), localPluginSchema).optional(),
  })
  // Traefik's other experimental switches are known and refused by name.
  .catchall(notSupportedYet('this experimental feature'));

export const staticConfigSchema = z.strictObject({
  global: globalSchema.optional(),
  entryPoints: z.record(z.string(), entryPointSchema).default({}),
  providers: providersSchema.default(() => providersSchema.parse({})),
  ping: pingSchema.optional(),
  log: logSchema.default(() => logSchema.parse({})),
  accessLog: accessLogSchema.optional(),
  api: notSupportedYet('the API and dashboard (api)'),
  metrics: notSupportedYet('metrics'),
  tracing: notSupportedYet('tracing'),
  certificatesResolvers: certificatesResolversSchema.optional(),
  /** The install-level transport: what services without `serversTransport` use. */
  serversTransport: serversTransportSchema.optional(),
  tcpServersTransport: notSupportedYet('TCP servers transports'),
  hostResolver: notSupportedYet('hostResolver'),
  experimental: experimentalSchema.optional(),
  core: notSupportedYet('core.defaultRuleSyntax'),
  spiffe: notSupportedYet('SPIFFE'),
  ocsp: notSupportedYet('OCSP stapling'),
});

export type StaticConfig = z.output<typeof staticConfigSchema>;
export type EntryPointTlsConfig = z.output<typeof entryPointTlsSchema>;
export type EntryPointConfig = z.output<typeof entryPointSchema>;
export type AccessLogConfig = z.output<typeof accessLogSchema>;
export type LogConfig = z.output<typeof logSchema>;
