/**
 * headers: custom request and response headers, CORS (preflight answered here), and security
 * headers, as Traefik's headers middleware. Everything that does not depend on the request is
 * worked out once when the routing is built; per request there is a host check, a preflight
 * check and one response-head hook.
 *
 * Order, as Traefik: a CORS preflight is answered first (without security headers); then the
 * allowed-hosts check; then custom request headers; on the way back, security headers, then
 * custom response headers (which may override or remove them), then CORS headers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RE2JS } from 're2js';
import type { RequestContext } from '../handler.js';
import type { MiddlewareFactory } from '../middleware.js';
import { invalidOption, readMiddlewareOptions } from '../options/read-middleware-options.js';
import {
  removeRequestHeader,
  requestHeader,
  setRequestHeader,
} from '../request-headers/edit-request-headers.js';
import { onResponseHead } from '../response-hooks/capture-response.js';
import type { HeadView } from '../response-hooks/proxy-response.js';
import { type HeadersOptions, headersSchema } from './headers-schema.js';

type HeaderPair = readonly [string, string];

export const headers: MiddlewareFactory = (_context, next, config, name) => {
  const options = readMiddlewareOptions(headersSchema, config, name, 'headers');
  const plan = planHeaders(options, name);
  const hasResponseWork =
    plan.secure.length > 0 ||
    plan.secureOnSsl.length > 0 ||
    plan.responseSet.length > 0 ||
    plan.responseRemove.length > 0 ||
    plan.cors !== undefined;
  // Without CORS or TLS-only headers the response work is the same for every request: one hook,
  // built here, instead of a closure per request.
  const sameForEveryRequest =
    plan.cors === undefined && plan.secureOnSsl.length === 0
      ? (head: HeadView) => decorate(head, plan, false, '')
      : undefined;

  return (req, res, ctx) => {
    const cors = plan.cors;
    if (cors && req.method === 'OPTIONS') {
      const origin = requestHeader(req, 'origin');
      if (origin !== '' && requestHeader(req, 'access-control-request-method') !== '') {
        answerPreflight(res, cors, origin);
        return;
      }
    }
    if (
      plan.allowedHosts &&
      !plan.isDevelopment &&
      !hostAllowed(req, plan.allowedHosts, plan.hostsProxyHeaders)
    ) {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 9 });
      res.end('Bad Host\n');
      return;
    }
    for (const [header, value] of plan.requestSet) {
      if (header === 'host') req.headers.host = value;
      setRequestHeader(req, header, value);
    }
    for (const header of plan.requestRemove) removeRequestHeader(req, header);
    if (sameForEveryRequest) onResponseHead(res, sameForEveryRequest);
    else if (hasResponseWork) {
      const ssl = plan.secureOnSsl.length > 0 && (plan.forceSTS || isSsl(req, ctx, plan.sslProxyHeaders));
      const origin = cors ? requestHeader(req, 'origin') : '';
      onResponseHead(res, (r) => decorate(r, plan, ssl, origin));
    }
    next(req, res, ctx);
  };
};

interface CorsPlan {
  allowCredentials: boolean;
  allowHeaders: string;
  allowMethods: string;
  exposeHeaders: string;
  maxAge: string;
  origins: readonly string[];
  originRegexps: readonly RE2JS[];
  addVary: boolean;
}

interface HeadersPlan {
  requestSet: HeaderPair[];
  requestRemove: string[];
  responseSet: HeaderPair[];
  responseRemove: string[];
  /** Security headers for every response. */
  secure: HeaderPair[];
  /** Security headers only over TLS (or a matching sslProxyHeader, or forceSTSHeader). */
  secureOnSsl: HeaderPair[];
  forceSTS: boolean;
  sslProxyHeaders: HeaderPair[];
  allowedHosts: Set<string> | undefined;
  hostsProxyHeaders: string[];
  isDevelopment: boolean;
  cors: CorsPlan | undefined;
}

export function planHeaders(o: HeadersOptions, name: string): HeadersPlan {
  const split = (map: Record<string, string>) => ({
    set: Object.entries(map)
      .filter(([, v]) => v !== '')
      .map(([k, v]) => [k.toLowerCase(), v] as const),
    remove: Object.entries(map)
      .filter(([, v]) => v === '')
      .map(([k]) => k.toLowerCase()),
  });
  const request = split(o.customRequestHeaders);
  const response = split(o.customResponseHeaders);
  const secure: HeaderPair[] = [];
  const secureOnSsl: HeaderPair[] = [];
  if (o.customFrameOptionsValue !== '') secure.push(['x-frame-options', o.customFrameOptionsValue]);
  else if (o.frameDeny) secure.push(['x-frame-options', 'DENY']);
  if (o.contentTypeNosniff) secure.push(['x-content-type-options', 'nosniff']);
  if (o.customBrowserXSSValue !== '') secure.push(['x-xss-protection', o.customBrowserXSSValue]);
  else if (o.browserXssFilter) secure.push(['x-xss-protection', '1; mode=block']);
  if (o.contentSecurityPolicy !== '') secure.push(['content-security-policy', o.contentSecurityPolicy]);
  if (o.contentSecurityPolicyReportOnly !== '')
    secure.push(['content-security-policy-report-only', o.contentSecurityPolicyReportOnly]);
  if (o.referrerPolicy !== '') secure.push(['referrer-policy', o.referrerPolicy]);
  if (o.permissionsPolicy !== '') secure.push(['permissions-policy', o.permissionsPolicy]);
  // isDevelopment turns off what would break a local setup: STS, key pinning and allowedHosts.
  if (!o.isDevelopment) {
    if (o.stsSeconds > 0) {
      let sts = `max-age=${o.stsSeconds}`;
      if (o.stsIncludeSubdomains) sts += '; includeSubDomains';
      if (o.stsPreload) sts += '; preload';
      secureOnSsl.push(['strict-transport-security', sts]);
    }
    if (o.publicKey !== '') secureOnSsl.push(['public-key-pins', o.publicKey]);
  }
  const hasCors =
    o.accessControlAllowCredentials ||
    o.accessControlAllowHeaders.length > 0 ||
    o.accessControlAllowMethods.length > 0 ||
    o.accessControlAllowOriginList.length > 0 ||
    o.accessControlAllowOriginListRegex.length > 0 ||
    o.accessControlExposeHeaders.length > 0 ||
    o.accessControlMaxAge !== 0 ||
    o.addVaryHeader;
  const originRegexps = o.accessControlAllowOriginListRegex.map((pattern, i) => {
    try {
      return RE2JS.compile(pattern);
    } catch (error) {
      throw invalidOption(
        name,
        `headers.accessControlAllowOriginListRegex[${i}]`,
        `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}.`,
        'Use Go (RE2) syntax, such as "https://.*\\\\.example\\\\.com".',
      );
    }
  });
  return {
    requestSet: request.set,
    requestRemove: request.remove,
    responseSet: response.set,
    responseRemove: response.remove,
    secure,
    secureOnSsl,
    forceSTS: o.forceSTSHeader,
    sslProxyHeaders: Object.entries(o.sslProxyHeaders).map(([k, v]) => [k.toLowerCase(), v] as const),
    allowedHosts: o.allowedHosts.length > 0 ? new Set(o.allowedHosts.map((h) => h.toLowerCase())) : undefined,
    hostsProxyHeaders: o.hostsProxyHeaders.map((h) => h.toLowerCase()),
    isDevelopment: o.isDevelopment,
    cors: hasCors
      ? {
          allowCredentials: o.accessControlAllowCredentials,
          allowHeaders: o.accessControlAllowHeaders.join(','),
          allowMethods: o.accessControlAllowMethods.join(','),
          exposeHeaders: o.accessControlExposeHeaders.join(','),
          maxAge: String(o.accessControlMaxAge),
          origins: o.accessControlAllowOriginList,
          originRegexps,
          addVary: o.addVaryHeader,
        }
      : undefined,
  };
}

/** The Access-Control-Allow-Origin to send: `*` or the listed origin, else one matching a regexp. */
export function allowedOrigin(cors: CorsPlan, origin: string): string {
  for (const item of cors.origins) if (item === '*' || item === origin) return item;
  if (origin !== '') for (const regexp of cors.originRegexps) if (regexp.test(origin)) return origin;
  return '';
}

function answerPreflight(res: ServerResponse, cors: CorsPlan, origin: string): void {
  if (cors.allowCredentials) res.setHeader('access-control-allow-credentials', 'true');
  if (cors.allowHeaders !== '') res.setHeader('access-control-allow-headers', cors.allowHeaders);
  if (cors.allowMethods !== '') res.setHeader('access-control-allow-methods', cors.allowMethods);
  const allow = allowedOrigin(cors, origin);
  if (allow !== '') res.setHeader('access-control-allow-origin', allow);
  res.setHeader('access-control-max-age', cors.maxAge);
  res.setHeader('content-length', 0);
  res.writeHead(200);
  res.end();
}

function decorate(head: HeadView, plan: HeadersPlan, ssl: boolean, origin: string): void {
  for (const [header, value] of plan.secure) head.set(header, value);
  if (ssl) for (const [header, value] of plan.secureOnSsl) head.set(header, value);
  for (const [header, value] of plan.responseSet) head.set(header, value);
  for (const header of plan.responseRemove) head.remove(header);
  const cors = plan.cors;
  if (!cors) return;
  const allow = allowedOrigin(cors, origin);
  if (allow !== '') head.set('access-control-allow-origin', allow);
  if (cors.addVary && origin !== '') addVary(head, 'Origin');
  if (cors.allowCredentials) head.set('access-control-allow-credentials', 'true');
  if (cors.exposeHeaders !== '') head.set('access-control-expose-headers', cors.exposeHeaders);
}

/** Adds a token to Vary unless it is already listed (on a response, or a head being written). */
export function addVary(target: ServerResponse | HeadView, token: string): void {
  const head: Pick<HeadView, 'get' | 'set'> =
    'set' in target
      ? target
      : { get: (name) => target.getHeader(name), set: (name, value) => target.setHeader(name, value) };
  const current = head.get('vary');
  const text = current === undefined ? '' : Array.isArray(current) ? current.join(', ') : String(current);
  const lower = token.toLowerCase();
  if (text.split(',').some((t) => t.trim().toLowerCase() === lower || t.trim() === '*')) return;
  head.set('vary', text === '' ? token : `${text}, ${token}`);
}

function hostAllowed(req: IncomingMessage, allowed: Set<string>, proxyHeaders: readonly string[]): boolean {
  let host = requestHeader(req, 'host');
  for (const header of proxyHeaders) {
    const value = requestHeader(req, header);
    if (value !== '') {
      host = value;
      break;
    }
  }
  return allowed.has(host.toLowerCase());
}

function isSsl(req: IncomingMessage, ctx: RequestContext, sslProxyHeaders: readonly HeaderPair[]): boolean {
  for (const [header, value] of sslProxyHeaders) {
    // A forwarded header from a peer the entryPoint does not trust is the client's own claim.
    if (header.startsWith('x-forwarded-') && !ctx.trustForwarded) continue;
    if (requestHeader(req, header) === value) return true;
  }
  return false;
}
