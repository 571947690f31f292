/**
 * SecureContexts by (certificate, TLS options), made on a certificate's first handshake and
 * kept across configuration reloads while both are still in use: ten thousand certificates cost
 * nothing until they are asked for, and a reload does not rebuild contexts that did not change.
 */
import { createSecureContext, type SecureContext } from 'node:tls';
import type { LoadedCertificate } from './loaded-certificate.js';
import type { ResolvedTlsOptions } from './tls-options.js';

export class SecureContexts {
  readonly #contexts = new Map<string, SecureContext>();

  get(certificate: LoadedCertificate, options: ResolvedTlsOptions): SecureContext {
    const key = `${certificate.id}|${options.fingerprint}`;
    let context = this.#contexts.get(key);
    if (context === undefined) {
      context = createSecureContext({
        ...options.context,
        cert: certificate.certPem,
        key: certificate.keyPem,
      });
      this.#contexts.set(key, context);
    }
    return context;
  }

  /** Forgets the contexts of certificates and options no longer configured. */
  retain(certificateIds: ReadonlySet<string>, fingerprints: ReadonlySet<string>): void {
    for (const key of this.#contexts.keys()) {
      const [id, fingerprint] = key.split('|') as [string, string];
      if (!certificateIds.has(id) || !fingerprints.has(fingerprint)) this.#contexts.delete(key);
    }
  }
}
