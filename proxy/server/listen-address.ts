import { AffineurError } from '../../src/errors/affineur-error.js';

/** `:8080`, `0.0.0.0:8080`, `[::1]:8080` (optionally with `/tcp`) as host and port for listen(). */
export function parseListenAddress(
  address: string,
  keyPath: string,
): { host: string | undefined; port: number } {
  const match = /^(\[[^\]]*\]|[^:]*):(\d+)(\/tcp)?$/.exec(address);
  const port = Number(match?.[2]);
  if (!match || port > 65535) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', `"${address}" is not a listen address.`, {
      keyPath,
      hint: 'Write it as ":8080" (every interface) or "127.0.0.1:8080".',
    });
  }
  const host = (match[1] as string).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port };
}
