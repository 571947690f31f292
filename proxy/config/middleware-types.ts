/**
 * Every HTTP middleware type Traefik v3 knows, by its config key. The schema accepts each of
 * them so that a Traefik config loads; the middleware registry says which ones affineur can
 * build, and a router that uses any other one is disabled with a clear "not supported yet".
 */
export const traefikHttpMiddlewareTypes = [
  'addPrefix',
  'basicAuth',
  'buffering',
  'chain',
  'circuitBreaker',
  'compress',
  'contentType',
  'digestAuth',
  'errors',
  'forwardAuth',
  'grpcWeb',
  'headers',
  'ipAllowList',
  'ipWhiteList',
  'inFlightReq',
  'passTLSClientCert',
  'plugin',
  'rateLimit',
  'redirectRegex',
  'redirectScheme',
  'replacePath',
  'replacePathRegex',
  'retry',
  'stripPrefix',
  'stripPrefixRegex',
] as const;

export type HttpMiddlewareType = (typeof traefikHttpMiddlewareTypes)[number];
