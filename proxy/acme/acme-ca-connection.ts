/**
 * How affineur talks to an ACME CA over HTTPS: which roots it trusts (`caCertificates`,
 * `caSystemCertPool`), the name it checks (`caServerName`) and the timeout (`clientTimeout`).
 * acme-client sends every request through one shared axios instance, so the options are chosen
 * per request by the CA's origin; each resolver registers its own.
 */
import { readFileSync } from 'node:fs';
import { Agent, get as httpsGet } from 'node:https';
import { rootCertificates } from 'node:tls';
import * as acme from 'acme-client';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { AcmeConfig } from './acme-resolver-schema.js';

interface Connection {
  agent: Agent | undefined;
  timeoutMs: number;
}

const byOrigin = new Map<string, Connection>();
let installed = false;

type AcmeSettings = { retryMaxAttempts: number; retryDefaultDelay: number };

function install(): void {
  if (installed) return;
  installed = true;
  // acme-client retries a failed request 5 times, waiting up to 25 s each: an unreachable CA
  // would stay silent for over a minute. The resolver retries whole orders with its own
  // backoff and logs each failure, so the library makes one quick retry (a lost nonce race).
  const settings = (acme.axios.defaults as unknown as { acmeSettings: AcmeSettings }).acmeSettings;
  settings.retryMaxAttempts = 1;
  settings.retryDefaultDelay = 1;
  acme.axios.interceptors.request.use((request) => {
    const origin = request.url ? originOf(request.url) : undefined;
    const connection = origin ? byOrigin.get(origin) : undefined;
    if (connection) {
      if (connection.agent) request.httpsAgent = connection.agent;
      request.timeout = connection.timeoutMs;
    }
    return request;
  });
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Registers the resolver's trust for its CA's origin. Throws AFF_ERR_ACME_TRUST, naming the key
 * path, when a `caCertificates` entry cannot be read or holds no certificate.
 */
export function registerCaConnection(
  keyPath: string,
  config: Pick<
    AcmeConfig,
    'caServer' | 'caCertificates' | 'caSystemCertPool' | 'caServerName' | 'clientTimeout'
  >,
  configFile?: string,
): void {
  install();
  const origin = originOf(config.caServer);
  if (!origin) return;
  let agent: Agent | undefined;
  if (config.caCertificates?.length || config.caServerName) {
    const ca = config.caCertificates?.length
      ? [
          ...(config.caSystemCertPool ? rootCertificates : []),
          ...config.caCertificates.map((entry, i) =>
            readCa(`${keyPath}.caCertificates[${i}]`, entry, configFile),
          ),
        ]
      : undefined;
    agent = new Agent({
      keepAlive: true,
      ...(ca ? { ca } : {}),
      ...(config.caServerName ? { servername: config.caServerName } : {}),
    });
  }
  byOrigin.set(origin, { agent, timeoutMs: config.clientTimeout });
}

/** A path to a PEM file, or the PEM itself (Traefik accepts both). */
function readCa(keyPath: string, entry: string, configFile: string | undefined): string {
  let pem = entry;
  if (!entry.includes('-----BEGIN')) {
    try {
      pem = readFileSync(entry, 'utf8');
    } catch (error) {
      throw new AffineurError(
        'AFF_ERR_ACME_TRUST',
        `the CA certificate file cannot be read: ${String(error)}.`,
        {
          keyPath,
          hint: 'Give the path of a PEM file holding the CA that signed the ACME server certificate.',
          cause: error,
        },
      );
    }
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new AffineurError('AFF_ERR_ACME_TRUST', `${JSON.stringify(entry)} holds no PEM certificate.`, {
      ...(configFile ? { file: configFile } : {}),
      keyPath,
      hint: 'Give a PEM file that starts with -----BEGIN CERTIFICATE-----.',
    });
  }
  return pem;
}

/**
 * Whether the CA's directory answers, with this resolver's trust: undefined when it does, else
 * the network or TLS error (`ECONNREFUSED: ...`). acme-client turns a network error into a bare
 * TypeError, so the resolver asks this to tell "CA down" from "order refused".
 */
export function probeCa(caServer: string): Promise<string | undefined> {
  const origin = originOf(caServer);
  const connection = origin ? byOrigin.get(origin) : undefined;
  return new Promise((resolve) => {
    const request = httpsGet(
      caServer,
      { ...(connection?.agent ? { agent: connection.agent } : {}), timeout: connection?.timeoutMs ?? 30_000 },
      (response) => {
        response.resume();
        resolve(response.statusCode && response.statusCode < 500 ? undefined : `HTTP ${response.statusCode}`);
      },
    );
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve(`${error.code ?? 'ERROR'}: ${error.message}`),
    );
  });
}
