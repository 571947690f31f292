/**
 * Middlewares that rewrite, redirect, filter or decorate requests and responses: path
 * rewriting, headers, redirects, IP allow lists, content type, gRPC-Web, compression, errors,
 * buffering. Registered by their Traefik config key.
 */
import type { HttpMiddlewareType } from '../config/middleware-types.js';
import { addPrefix } from './add-prefix/add-prefix.js';
import { buffering } from './buffering/buffering.js';
import { chain } from './chain/chain.js';
import { compress } from './compress/compress.js';
import { contentType } from './content-type/content-type.js';
import { errors } from './errors/errors.js';
import { grpcWeb } from './grpc-web/grpc-web.js';
import { headers } from './headers/headers.js';
import { ipAllowList, ipWhiteList } from './ip-allow-list/ip-allow-list.js';
import type { MiddlewareFactory } from './middleware.js';
import { passTLSClientCert } from './pass-tls-client-cert/pass-tls-client-cert.js';
import { redirectRegex } from './redirect-regex/redirect-regex.js';
import { redirectScheme } from './redirect-scheme/redirect-scheme.js';
import { replacePath } from './replace-path/replace-path.js';
import { replacePathRegex } from './replace-path-regex/replace-path-regex.js';
import { stripPrefix } from './strip-prefix/strip-prefix.js';
import { stripPrefixRegex } from './strip-prefix-regex/strip-prefix-regex.js';

export const shapingMiddlewares: Partial<Record<HttpMiddlewareType, MiddlewareFactory>> = {
  addPrefix,
  buffering,
  chain,
  compress,
  contentType,
  errors,
  grpcWeb,
  headers,
  ipAllowList,
  ipWhiteList,
  passTLSClientCert,
  redirectRegex,
  redirectScheme,
  replacePath,
  replacePathRegex,
  stripPrefix,
  stripPrefixRegex,
};
