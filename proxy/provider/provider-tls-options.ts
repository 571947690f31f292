/**
 * TLS from a provider to its backend (an HTTP endpoint, etcd, Redis, the Docker Engine over
 * tcp://), as Traefik's `types.ClientTLS`: `ca`, `cert`, `key` (each a file path or the PEM text
 * itself, as Traefik takes them) and `insecureSkipVerify`. Shared by every provider's install
 * schema; `loadProviderTls` reads the files once, at start, so a wrong path
 * stops the start with the key path in the error instead of failing on every reconnection.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { notSupportedYet } from '../../src/config/unsupported.js';
import { AffineurError } from '../../src/errors/affineur-error.js';

export const providerTlsOptionsSchema = z
  .strictObject({
    /** CA certificates (PEM file or text) to verify the backend with, instead of the system ones. */
    ca: z.string().min(1).optional(),
    /** Client certificate (PEM file or text), for backends that ask for one (mutual TLS). */
    cert: z.string().min(1).optional(),
    /** Private key (PEM file or text) of the client certificate; never logged. */
    key: z.string().min(1).optional(),
    /** Accept any certificate from the backend. For tests only: it allows a man in the middle. */
    insecureSkipVerify: z.boolean().default(false),
    caOptional: notSupportedYet('tls.caOptional (removed in Traefik v3)'),
  })
  .refine((tls) => (tls.cert === undefined) === (tls.key === undefined), {
    message: 'set both tls.cert and tls.key, or neither',
  });

export type ProviderTlsOptions = z.output<typeof providerTlsOptionsSchema>;

/** Node's `tls.connect` options, as undici's `connect`, ioredis' `tls` and etcd3's `credentials` take them. */
export interface ProviderTlsConnectOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

/**
 * Reads the PEM files, synchronously because it runs once while the providers are chosen, before
 * any port is bound; `keyPath` is where the options sit, e.g. `providers.http.tls`.
 */
export function loadProviderTls(options: ProviderTlsOptions, keyPath: string): ProviderTlsConnectOptions {
  const read = (field: 'ca' | 'cert' | 'key'): Buffer | undefined => {
    const path = options[field];
    if (path === undefined) return undefined;
    if (path.includes('-----BEGIN')) return Buffer.from(path);
    try {
      return readFileSync(path);
    } catch (cause) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_READ',
        `cannot read the file "${path}": ${(cause as Error).message}.`,
        {
          keyPath: `${keyPath}.${field}`,
          hint: 'Give the path of a readable PEM file, or the PEM text itself.',
          cause,
        },
      );
    }
  };
  const [ca, cert, key] = [read('ca'), read('cert'), read('key')];
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    rejectUnauthorized: !options.insecureSkipVerify,
  };
}
