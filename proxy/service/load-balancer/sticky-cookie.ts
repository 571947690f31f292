/**
 * Sticky sessions by cookie: the cookie holds a hash of the chosen server (or child service),
 * never its address, and a request whose cookie names an available target goes back to it.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { StickyCookieConfig } from '../../config/dynamic-schema.js';

export function stickyValue(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/** Traefik's default name is derived from the service name, so two services never share one. */
export function stickyCookieName(config: StickyCookieConfig, serviceName: string): string {
  return config.name ?? `_${createHash('sha1').update(serviceName).digest('hex').slice(0, 6)}`;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined || !header.includes(name)) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setCookieHeader(config: StickyCookieConfig, name: string, value: string): string {
  let cookie = `${name}=${value}; Path=${config.path}`;
  if (config.domain) cookie += `; Domain=${config.domain}`;
  if (config.maxAge > 0) cookie += `; Max-Age=${config.maxAge}`;
  else if (config.maxAge < 0) cookie += '; Max-Age=0';
  if (config.httpOnly) cookie += '; HttpOnly';
  if (config.secure) cookie += '; Secure';
  if (config.sameSite) cookie += `; SameSite=${config.sameSite[0]?.toUpperCase()}${config.sameSite.slice(1)}`;
  return cookie;
}
