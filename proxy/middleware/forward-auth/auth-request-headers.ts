/**
 * The headers of the request sent to the authentication server: the client's headers (all, or
 * those named in `authRequestHeaders`), without hop-by-hop headers, plus the X-Forwarded-* set
 * Traefik documents (Method, Proto, Host, Uri, For).
 *
 * The X-Forwarded-* values are rebuilt from what the proxy saw. A client's own values are kept
 * only with `trustForwardHeader` AND a peer the entryPoint trusts (forwardedHeaders.trustedIPs or
 * insecure) — Traefik strips an untrusted peer's X-Forwarded-* at the entryPoint before any
 * middleware runs, so `trustForwardHeader` alone never lets a random client choose the URI or
 * host the auth server decides on.
 */
import { connectionTokens } from '../../forward/upstream-request-headers.js';

// Proxy-Authorization is meant for us, hence forwarded to the auth server (RFC 7235 4.4).
const hopByHop = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

export interface AuthRequestFacts {
  method: string;
  /** `[name, value, ...]` as the client sent them. */
  rawHeaders: readonly string[];
  host: string;
  /** The request URI as it reaches this middleware (after path rewrites before it). */
  uri: string;
  clientAddress: string;
  proto: 'http' | 'https';
  /** trustForwardHeader && the entryPoint trusts the peer. */
  trusted: boolean;
}

export function authRequestHeaders(facts: AuthRequestFacts, allowed: readonly string[]): string[] {
  const raw = facts.rawHeaders;
  const named = new Set<string>();
  const client = new Map<string, string[]>();
  for (let i = 0; i < raw.length; i += 2) {
    const lower = (raw[i] as string).toLowerCase();
    if (lower === 'connection') for (const token of connectionTokens(raw[i + 1] as string)) named.add(token);
    const list = client.get(lower) ?? [];
    list.push(raw[i + 1] as string);
    client.set(lower, list);
  }
  const allow = allowed.length > 0 ? new Set(allowed.map((h) => h.toLowerCase())) : undefined;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || named.has(lower) || lower === 'host') continue;
    // The length is the caller's to set: the body sent to the auth server may differ (or be none).
    if (lower === 'content-length') continue;
    if (lower.startsWith('x-forwarded-') || lower === 'x-real-ip') continue;
    if (allow && !allow.has(lower)) continue;
    out.push(name, raw[i + 1] as string);
  }
  const trustedValue = (name: string) => (facts.trusted ? client.get(name)?.[0] : undefined);
  const priorFor = facts.trusted ? client.get('x-forwarded-for') : undefined;
  out.push(
    'X-Forwarded-For',
    priorFor ? `${priorFor.join(', ')}, ${facts.clientAddress}` : facts.clientAddress,
    'X-Forwarded-Method',
    trustedValue('x-forwarded-method') ?? facts.method,
    'X-Forwarded-Proto',
    trustedValue('x-forwarded-proto') ?? facts.proto,
    'X-Forwarded-Host',
    trustedValue('x-forwarded-host') ?? facts.host,
    'X-Forwarded-Uri',
    trustedValue('x-forwarded-uri') ?? facts.uri,
  );
  const port = trustedValue('x-forwarded-port');
  if (port !== undefined) out.push('X-Forwarded-Port', port);
  return out;
}
