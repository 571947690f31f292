/**
 * `addAuthCookiesToResponse`: the named cookies the auth server set go to the client, and the
 * service's cookies of the same names are dropped, as Traefik documents. The service's response
 * head is only known when it is written, so `writeHead` is wrapped for this one response.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

export function keepAuthCookies(
  res: ServerResponse,
  names: ReadonlySet<string>,
  fromAuth: readonly string[],
): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    res.writeHead = writeHead;
    const headers = rest.find((arg): arg is OutgoingHttpHeaders => typeof arg === 'object' && arg !== null);
    const fromService = [...list(headers?.['set-cookie']), ...list(res.getHeader('set-cookie'))];
    const merged = [...fromService.filter((cookie) => !names.has(cookieName(cookie))), ...fromAuth];
    if (headers) delete headers['set-cookie'];
    res.removeHeader('set-cookie');
    if (merged.length > 0) res.setHeader('set-cookie', merged);
    return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
  } as ServerResponse['writeHead'];
}

function list(value: string | string[] | number | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [String(value)];
}

export function cookieName(setCookie: string): string {
  return setCookie.slice(0, setCookie.indexOf('=')).trim();
}
