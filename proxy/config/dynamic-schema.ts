/**
 * The routing (dynamic) configuration: the `http` section of Traefik v3, as providers deliver
 * it. Each router, service, middleware and servers transport is validated on its own (see
 * proxy/watcher/read-provider-config.ts), so one bad object is disabled while the rest serve;
 * `dynamicConfigSchema` is the whole document, for JSON Schema generation and for key spelling.
 */
import { z } from 'zod';
import { durationSchema } from '../../src/config/duration.js';
import { notSupportedYet } from '../../src/config/unsupported.js';
import { traefikHttpMiddlewareTypes } from './middleware-types.js';

const nameRef = z.string().min(1);

export const stickyCookieSchema = z.strictObject({
  name: z.string().optional(),
  secure: z.boolean().default(false),
  httpOnly: z.boolean().default(false),
  sameSite: z.enum(['none', 'lax', 'strict', '']).default(''),
  maxAge: z.number().int().default(0),
  path: z.string().default('/'),
  domain: z.string().optional(),
});

const stickySchema = z.strictObject({
  cookie: stickyCookieSchema.optional(),
});

const serverSchema = z.strictObject({
  url: z.url({ protocol: /^(https?|h2c)$/, message: 'expected an http://, https:// or h2c:// URL' }),
  weight: z.number().int().nonnegative().optional(),
  preservePath: z.boolean().default(false),
  fenced: notSupportedYet('fenced servers'),
});

const serverHealthCheckSchema = z.strictObject({
  scheme: z.enum(['http', 'https']).optional(),
  mode: z.enum(['http', 'grpc']).default('http'),
  path: z.string().default('/'),
  method: z.string().default('GET'),
  status: z.number().int().min(100).max(599).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  interval: durationSchema.default(30_000),
  unhealthyInterval: durationSchema.optional(),
  timeout: durationSchema.default(5000),
  hostname: z.string().optional(),
  followRedirects: z.boolean().default(true),
  headers: z.record(z.string(), z.string()).default({}),
});

const passiveHealthCheckSchema = z.strictObject({
  failureWindow: durationSchema.default(10_000),
  maxFailedAttempts: z.number().int().positive().default(1),
});

export const loadBalancerSchema = z.strictObject({
  servers: z.array(serverSchema).default([]),
  strategy: z.enum(['wrr', 'p2c']).default('wrr'),
  sticky: stickySchema.optional(),
  healthCheck: serverHealthCheckSchema.optional(),
  passiveHealthCheck: passiveHealthCheckSchema.optional(),
  passHostHeader: z.boolean().default(true),
  responseForwarding: z.strictObject({ flushInterval: durationSchema.default(100) }).optional(),
  serversTransport: nameRef.optional(),
});

/** An empty object: its presence turns on health propagation from the children. */
const parentHealthCheckSchema = z.strictObject({});

const weightedSchema = z.strictObject({
  services: z.array(z.strictObject({ name: nameRef, weight: z.number().int().nonnegative().default(1) })),
  sticky: stickySchema.optional(),
  healthCheck: parentHealthCheckSchema.optional(),
});

const mirroringSchema = z.strictObject({
  service: nameRef,
  mirrorBody: z.boolean().default(true),
  maxBodySize: z.number().int().default(-1),
  mirrors: z.array(z.strictObject({ name: nameRef, percent: z.number().int().min(0).max(100) })).default([]),
  healthCheck: parentHealthCheckSchema.optional(),
});

const failoverSchema = z.strictObject({
  service: nameRef,
  fallback: nameRef,
  healthCheck: parentHealthCheckSchema.optional(),
});

export const serviceSchema = z
  .strictObject({
    loadBalancer: loadBalancerSchema.optional(),
    weighted: weightedSchema.optional(),
    mirroring: mirroringSchema.optional(),
    failover: failoverSchema.optional(),
    middlewares: notSupportedYet('service-level middlewares'),
  })
  .refine((service) => Object.values(service).filter((v) => v !== undefined).length === 1, {
    message: 'a service needs exactly one of loadBalancer, weighted, mirroring or failover',
  });

/** A router's `tls`: its presence makes the router serve HTTPS only (see docs/tls.md). */
export const routerTlsSchema = z.strictObject({
  /** A name under `tls.options`; qualified with the router's provider unless it has `@`. */
  options: nameRef.optional(),
  certResolver: nameRef.optional(),
  domains: z
    .array(z.strictObject({ main: z.string().min(1), sans: z.array(z.string()).default([]) }))
    .default([]),
});

export const routerSchema = z.strictObject({
  entryPoints: z.array(z.string()).optional(),
  rule: z.string().min(1, { message: 'a router needs a rule, such as Host(`example.com`)' }),
  ruleSyntax: z
    .literal('v3', { message: 'only the v3 rule syntax is supported (remove ruleSyntax or set "v3")' })
    .optional(),
  priority: z.number().int().optional(),
  middlewares: z.array(nameRef).default([]),
  service: nameRef,
  // `tls: true` is how labels and KV stores say `tls: {}` (Traefik's label parser does the same).
  tls: z
    .union([routerTlsSchema, z.literal(true), z.literal('true')])
    .transform((tls) => (typeof tls === 'object' ? tls : { domains: [] }))
    .optional(),
  observability: z
    .strictObject({
      accessLogs: z.boolean().default(true),
      metrics: notSupportedYet('metrics'),
      tracing: notSupportedYet('tracing'),
      traceVerbosity: notSupportedYet('tracing'),
    })
    .optional(),
  parentRefs: notSupportedYet('multi-layer routing (parentRefs)'),
});

/**
 * A middleware is an object with exactly one key, its type. Every Traefik type is accepted
 * here with any options; whether affineur can build it is decided at runtime, per object.
 */
export const middlewareSchema = z
  .strictObject(
    Object.fromEntries(traefikHttpMiddlewareTypes.map((type) => [type, z.unknown().optional()])) as Record<
      (typeof traefikHttpMiddlewareTypes)[number],
      z.ZodOptional<z.ZodUnknown>
    >,
  )
  .refine((middleware) => Object.values(middleware).filter((v) => v !== undefined).length === 1, {
    message: 'a middleware needs exactly one type, such as stripPrefix or headers',
  });

export const serversTransportSchema = z.strictObject({
  serverName: z.string().optional(),
  insecureSkipVerify: z.boolean().default(false),
  /** PEM files or inline PEM of the CAs that sign the servers' certificates. */
  rootCAs: z.array(z.string().min(1)).default([]),
  /** Client certificates presented to the servers (mTLS). */
  certificates: z
    .array(z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }))
    .default([]),
  cipherSuites: z.array(z.string()).default([]),
  minVersion: z.string().optional(),
  maxVersion: z.string().optional(),
  maxIdleConnsPerHost: z.number().int().default(200),
  forwardingTimeouts: z
    .strictObject({
      dialTimeout: durationSchema.default(30_000),
      responseHeaderTimeout: durationSchema.default(0),
      idleConnTimeout: durationSchema.default(90_000),
      readIdleTimeout: durationSchema.default(0),
      pingTimeout: durationSchema.default(15_000),
    })
    .default({
      dialTimeout: 30_000,
      responseHeaderTimeout: 0,
      idleConnTimeout: 90_000,
      readIdleTimeout: 0,
      pingTimeout: 15_000,
    }),
  disableHTTP2: z.boolean().default(false),
  /** A URI SAN the server's certificate must carry (SPIFFE-style identity). */
  peerCertURI: z.string().optional(),
  spiffe: notSupportedYet('SPIFFE'),
});

const goTlsVersion = z.enum(['VersionTLS10', 'VersionTLS11', 'VersionTLS12', 'VersionTLS13'], {
  message: 'expected VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13',
});

export const clientAuthTypes = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
] as const;

/** `tls.options.<name>`: Traefik's TLS options, with Go's names (mapped to OpenSSL's in proxy/tls/). */
export const tlsOptionsSchema = z.strictObject({
  minVersion: goTlsVersion.default('VersionTLS12'),
  maxVersion: goTlsVersion.optional(),
  cipherSuites: z.array(z.string()).default([]),
  curvePreferences: z.array(z.string()).default([]),
  clientAuth: z
    .strictObject({
      caFiles: z.array(z.string().min(1)).default([]),
      clientAuthType: z
        .enum(clientAuthTypes, { message: `expected one of ${clientAuthTypes.join(', ')}` })
        .default('NoClientCert'),
    })
    .default({ caFiles: [], clientAuthType: 'NoClientCert' }),
  sniStrict: z.boolean().default(false),
  alpnProtocols: z.array(z.string().min(1)).default(['h2', 'http/1.1', 'acme-tls/1']),
  disableSessionTickets: z.boolean().default(false),
  /** Deprecated in Traefik (Go ignores it since 1.18); accepted and unused. */
  preferServerCipherSuites: z.boolean().optional(),
});

/** `tls.certificates[]`: each of certFile and keyFile is a file path or the PEM text itself. */
export const tlsCertificateSchema = z.strictObject({
  certFile: z.string().min(1),
  keyFile: z.string().min(1),
  stores: z.array(z.string()).default(['default']),
});

export const tlsStoreSchema = z.strictObject({
  defaultCertificate: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  defaultGeneratedCert: z
    .strictObject({
      resolver: nameRef,
      domain: z.strictObject({ main: z.string().min(1), sans: z.array(z.string()).default([]) }),
    })
    .optional(),
});

export const tlsSectionSchema = z.strictObject({
  certificates: z.array(tlsCertificateSchema).optional(),
  options: z.record(z.string(), tlsOptionsSchema).optional(),
  stores: z.record(z.string(), tlsStoreSchema).optional(),
});

/** The record of each object kind under `http`, by config key. */
export const httpObjectSchemas = {
  routers: routerSchema,
  services: serviceSchema,
  middlewares: middlewareSchema,
  serversTransports: serversTransportSchema,
} as const;

export type HttpObjectKind = keyof typeof httpObjectSchemas;
export const httpObjectKinds = Object.keys(httpObjectSchemas) as HttpObjectKind[];

export const httpSectionSchema = z.strictObject({
  routers: z.record(z.string(), routerSchema).optional(),
  services: z.record(z.string(), serviceSchema).optional(),
  middlewares: z.record(z.string(), middlewareSchema).optional(),
  serversTransports: z.record(z.string(), serversTransportSchema).optional(),
});

export const dynamicConfigSchema = z.strictObject({
  http: httpSectionSchema.optional(),
  tcp: notSupportedYet('TCP routing (the tcp section)'),
  udp: notSupportedYet('UDP routing (the udp section)'),
  tls: tlsSectionSchema.optional(),
});

export type RouterConfig = z.output<typeof routerSchema>;
export type ServiceConfig = z.output<typeof serviceSchema>;
export type LoadBalancerConfig = z.output<typeof loadBalancerSchema>;
export type WeightedConfig = z.output<typeof weightedSchema>;
export type MirroringConfig = z.output<typeof mirroringSchema>;
export type FailoverConfig = z.output<typeof failoverSchema>;
export type MiddlewareConfig = z.output<typeof middlewareSchema>;
export type ServersTransportConfig = z.output<typeof serversTransportSchema>;
export type RouterTlsConfig = z.output<typeof routerTlsSchema>;
export type TlsOptionsConfig = z.output<typeof tlsOptionsSchema>;
export type TlsCertificateConfig = z.output<typeof tlsCertificateSchema>;
export type TlsStoreConfig = z.output<typeof tlsStoreSchema>;
export type StickyCookieConfig = z.output<typeof stickyCookieSchema>;
export type ServerHealthCheckConfig = z.output<typeof serverHealthCheckSchema>;
export type PassiveHealthCheckConfig = z.output<typeof passiveHealthCheckSchema>;
