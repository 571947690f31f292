/**
 * The TLS settings of a middleware that is itself a client of another server (forwardAuth's
 * auth server, rateLimit's Redis): Traefik's `ClientTLS`. As in Traefik, `ca`, `cert` and `key`
 * are each a PEM file path or the PEM text itself; files are read once, when the routing is
 * built, so a missing file disables the middleware with an error that names it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AffineurError } from '../../../src/errors/affineur-error.js';

export const clientTlsSchema = z.strictObject({
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  insecureSkipVerify: z.boolean().default(false),
  /** Deprecated in Traefik (client authentication is a server-side setting); accepted and unused. */
  caOptional: z.boolean().optional(),
});

export type ClientTlsConfig = Pick<
  z.output<typeof clientTlsSchema>,
  'ca' | 'cert' | 'key' | 'insecureSkipVerify'
>;

/** What Node's `tls.connect` (and so undici and ioredis) takes. */
export interface ClientTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  rejectUnauthorized: boolean;
}

/** `keyPath` is the path of the `tls` section itself, for the errors. */
export function clientTlsOptions(tls: ClientTlsConfig, keyPath: string): ClientTlsOptions {
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', 'tls.cert and tls.key go together.', {
      keyPath,
      hint: 'Set both the client certificate and its key, or neither.',
    });
  }
  return {
    ...(tls.ca ? { ca: pem(tls.ca, `${keyPath}.ca`) } : {}),
    ...(tls.cert ? { cert: pem(tls.cert, `${keyPath}.cert`) } : {}),
    ...(tls.key ? { key: pem(tls.key, `${keyPath}.key`) } : {}),
    rejectUnauthorized: !tls.insecureSkipVerify,
  };
}

function pem(value: string, keyPath: string): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (error) {
    throw new AffineurError('AFF_ERR_CONFIG_READ', `cannot read "${value}".`, {
      keyPath,
      hint: 'Give the path of a PEM file affineur can read, or the PEM text itself.',
      cause: error,
    });
  }
}
