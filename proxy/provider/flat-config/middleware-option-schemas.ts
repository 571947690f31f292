/**
 * The option schema of each middleware type, so that a flat key such as
 * `traefik.http.middlewares.m.stripprefix.prefixes=/a,/b` becomes the list of strings the
 * middleware expects. The dynamic schema accepts middleware options as opaque values (each
 * middleware reads its own when the routing is built); flat sources carry only strings, so they
 * need the types before that. A type missing here (plugin) keeps its values as strings.
 */
import type { z } from 'zod';
import type { HttpMiddlewareType } from '../../config/middleware-types.js';
import { addPrefixSchema } from '../../middleware/add-prefix/add-prefix.js';
import { basicAuthOptionsSchema } from '../../middleware/basic-auth/basic-auth-middleware.js';
import { bufferingSchema } from '../../middleware/buffering/buffering.js';
import { chainSchema } from '../../middleware/chain/chain.js';
import { circuitBreakerOptionsSchema } from '../../middleware/circuit-breaker/circuit-breaker-middleware.js';
import { compressSchema } from '../../middleware/compress/compress.js';
import { contentTypeSchema } from '../../middleware/content-type/content-type.js';
import { digestAuthOptionsSchema } from '../../middleware/digest-auth/digest-auth-middleware.js';
import { errorsSchema } from '../../middleware/errors/errors.js';
import { forwardAuthOptionsSchema } from '../../middleware/forward-auth/forward-auth-middleware.js';
import { grpcWebSchema } from '../../middleware/grpc-web/grpc-web.js';
import { headersSchema } from '../../middleware/headers/headers-schema.js';
import { inFlightReqOptionsSchema } from '../../middleware/in-flight-req/in-flight-req-middleware.js';
import { ipAllowListSchema } from '../../middleware/ip-allow-list/ip-allow-list.js';
import { passTlsClientCertSchema } from '../../middleware/pass-tls-client-cert/pass-tls-client-cert.js';
import { rateLimitOptionsSchema } from '../../middleware/rate-limit/rate-limit-middleware.js';
import { redirectRegexSchema } from '../../middleware/redirect-regex/redirect-regex.js';
import { redirectSchemeSchema } from '../../middleware/redirect-scheme/redirect-scheme.js';
import { replacePathSchema } from '../../middleware/replace-path/replace-path.js';
import { replacePathRegexSchema } from '../../middleware/replace-path-regex/replace-path-regex.js';
import { retryOptionsSchema } from '../../middleware/retry/retry-middleware.js';
import { stripPrefixSchema } from '../../middleware/strip-prefix/strip-prefix.js';
import { stripPrefixRegexSchema } from '../../middleware/strip-prefix-regex/strip-prefix-regex.js';

export const middlewareOptionSchemas: Partial<Record<HttpMiddlewareType, z.ZodType>> = {
  addPrefix: addPrefixSchema,
  basicAuth: basicAuthOptionsSchema,
  buffering: bufferingSchema,
  chain: chainSchema,
  circuitBreaker: circuitBreakerOptionsSchema,
  compress: compressSchema,
  contentType: contentTypeSchema,
  digestAuth: digestAuthOptionsSchema,
  errors: errorsSchema,
  forwardAuth: forwardAuthOptionsSchema,
  grpcWeb: grpcWebSchema,
  headers: headersSchema,
  inFlightReq: inFlightReqOptionsSchema,
  ipAllowList: ipAllowListSchema,
  ipWhiteList: ipAllowListSchema,
  passTLSClientCert: passTlsClientCertSchema,
  rateLimit: rateLimitOptionsSchema,
  redirectRegex: redirectRegexSchema,
  redirectScheme: redirectSchemeSchema,
  replacePath: replacePathSchema,
  replacePathRegex: replacePathRegexSchema,
  retry: retryOptionsSchema,
  stripPrefix: stripPrefixSchema,
  stripPrefixRegex: stripPrefixRegexSchema,
};
