/**
 * The headers a request carries upstream: the client's, minus hop-by-hop headers (RFC 9110
 * 7.6.1) and every header the client named in `Connection`, plus the X-Forwarded-* set.
 *
 * Two security rules live here:
 * - X-Forwarded-* and X-Real-Ip from the client are dropped unless the peer is trusted, so a
 *   client cannot pretend to come from elsewhere.
 * - `Connection` can never remove X-Forwarded-* or X-Real-Ip: naming them there was how a
 *   client could strip the headers the proxy sets (Traefik CVE-2024-45410).
 */
import type { IncomingMessage } from 'node:http';
import { hostname } from 'node:os';

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  // undici refuses `Expect`; the entryPoint already answered 100-continue to the client.
  'expect',
]);

const serverName = hostname();

export interface UpstreamHeaderOptions {
  clientAddress: string;
  trustForwarded: boolean;
  /** Keep the client's Host (passHostHeader); otherwise send `upstreamHost`. */
  passHostHeader: boolean;
  upstreamHost: string;
  /** Headers the entryPoint lets through even when `Connection` names them. */
  keepConnectionHeaders: ReadonlySet<string>;
  /** True when forwarding an upgrade (WebSocket); undici itself sends `Connection` and `Upgrade`. */
  upgrade: boolean;
  /** X-Forwarded-* headers a middleware set (RequestContext.forwardedByProxy): never the client's. */
  forwardedByProxy: readonly string[] | undefined;
}

function isForwardedHeader(lower: string): boolean {
  return lower === 'x-real-ip' || lower.startsWith('x-forwarded-');
}

/** Returns a flat `[name, value, name, value, ...]` list, the cheapest form undici accepts. */
export function upstreamRequestHeaders(req: IncomingMessage, options: UpstreamHeaderOptions): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  const connection = req.headers.connection;
  const named = connection === undefined ? undefined : connectionTokens(connection);
  let forwardedFor: string | undefined;
  let forwardedHost: string | undefined;
  let forwardedProto: string | undefined;
  let forwardedPort: string | undefined;
  let realIp: string | undefined;
  let host = '';
  const setByProxy = options.trustForwarded ? undefined : options.forwardedByProxy;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const lower = name.toLowerCase();
    if (lower === 'host') {
      host = value;
      continue;
    }
    if (hopByHop.has(lower)) {
      if (lower === 'te' && /(^|,)\s*trailers\s*(;|,|$)/i.test(value)) out.push('te', 'trailers');
      continue;
    }
    if (isForwardedHeader(lower)) {
      if (!options.trustForwarded) {
        // A middleware's own X-Forwarded-Prefix (stripPrefix) is not the client's claim.
        if (setByProxy?.includes(lower)) out.push(name, value);
        continue;
      }
      if (lower === 'x-forwarded-for')
        forwardedFor = forwardedFor === undefined ? value : `${forwardedFor}, ${value}`;
      else if (lower === 'x-forwarded-host') forwardedHost ??= value;
      else if (lower === 'x-forwarded-proto') forwardedProto ??= value;
      else if (lower === 'x-forwarded-port') forwardedPort ??= value;
      else if (lower === 'x-real-ip') realIp ??= value;
      else out.push(name, value);
      continue;
    }
    if (named?.has(lower) && !options.keepConnectionHeaders.has(lower)) continue;
    out.push(name, value);
  }
  const client = options.clientAddress;
  const tls = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const proto =
    forwardedProto ?? (options.upgrade && isWebSocket(req) ? (tls ? 'wss' : 'ws') : tls ? 'https' : 'http');
  out.push(
    'host',
    options.passHostHeader ? host : options.upstreamHost,
    'x-forwarded-for',
    forwardedFor === undefined ? client : `${forwardedFor}, ${client}`,
    'x-forwarded-host',
    forwardedHost ?? host,
    'x-forwarded-port',
    forwardedPort ?? portOf(host, proto),
    'x-forwarded-proto',
    proto,
    'x-forwarded-server',
    serverName,
    'x-real-ip',
    realIp ?? client,
  );
  return out;
}

function isWebSocket(req: IncomingMessage): boolean {
  return req.headers.upgrade?.toLowerCase() === 'websocket';
}

function portOf(host: string, proto: string): string {
  const colon = host.lastIndexOf(':');
  if (colon !== -1 && colon > host.lastIndexOf(']')) return host.slice(colon + 1);
  return proto === 'https' || proto === 'wss' ? '443' : '80';
}

/** The header names listed in a Connection header, lower-cased, never the forwarded ones. */
export function connectionTokens(value: string | string[]): Set<string> {
  const tokens = new Set<string>();
  for (const part of Array.isArray(value) ? value : [value]) {
    for (const token of part.split(',')) {
      const name = token.trim().toLowerCase();
      if (name !== '' && !isForwardedHeader(name)) tokens.add(name);
    }
  }
  return tokens;
}

const responseHopByHop = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
];

/** Strips hop-by-hop headers from an upstream response, in place. `Trailer` stays: it announces trailers we relay. */
export function stripResponseHopByHop(headers: Record<string, string | string[] | undefined>): void {
  const connection = headers.connection;
  if (connection !== undefined) for (const name of connectionTokens(connection)) delete headers[name];
  for (const name of responseHopByHop) if (name in headers) delete headers[name];
}
