/**
 * TLS from a provider to its backend (Docker over tcp://, etcd, Redis), as Traefik's
 * `types.ClientTLS`: `ca`, `cert` and `key` are each a file path or the PEM text itself.
 * (To be unified with the shared provider TLS options once both branches are merged.)
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { notSupportedYet } from '../../../src/config/unsupported.js';
import { AffineurError } from '../../../src/errors/affineur-error.js';

export const backendTlsSchema = z.strictObject({
  ca: z.string().optional(),
  cert: z.string().optional(),
  key: z.string().optional(),
  insecureSkipVerify: z.boolean().default(false),
  caOptional: notSupportedYet('tls.caOptional (removed in Traefik v3)'),
});

export type BackendTlsOptions = z.output<typeof backendTlsSchema>;

export interface BackendTlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

/** Reads the files once, at start; a missing file stops the start with its key path. */
export function loadBackendTls(options: BackendTlsOptions, keyPath: string): BackendTlsMaterial {
  const read = (value: string | undefined, field: string) => {
    if (value === undefined) return undefined;
    if (value.includes('-----BEGIN')) return Buffer.from(value);
    try {
      return readFileSync(value);
    } catch (error) {
      throw new AffineurError(
        'AFF_ERR_CONFIG_READ',
        `cannot read ${JSON.stringify(value)}: ${(error as Error).message}.`,
        {
          keyPath: `${keyPath}.${field}`,
          hint: 'Give the path of a PEM file, or the PEM text itself.',
        },
      );
    }
  };
  if ((options.cert === undefined) !== (options.key === undefined)) {
    throw new AffineurError('AFF_ERR_CONFIG_INVALID', 'a client certificate needs both cert and key.', {
      keyPath,
      hint: 'Set both tls.cert and tls.key, or neither.',
    });
  }
  const material: BackendTlsMaterial = { rejectUnauthorized: !options.insecureSkipVerify };
  const ca = read(options.ca, 'ca');
  const cert = read(options.cert, 'cert');
  const key = read(options.key, 'key');
  if (ca) material.ca = ca;
  if (cert) material.cert = cert;
  if (key) material.key = key;
  return material;
}
