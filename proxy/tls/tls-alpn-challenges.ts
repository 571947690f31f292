/**
 * The TLS-ALPN-01 challenge certificates (RFC 8737) an ACME resolver is answering right now, by
 * domain. TLS entryPoints consult it only for a ClientHello that offers ALPN `acme-tls/1`, and
 * then negotiate `acme-tls/1` with the challenge certificate instead of the site's.
 */
import { createSecureContext, type SecureContext } from 'node:tls';

/** What a TLS entryPoint asks: the context to answer a TLS-ALPN-01 validation for this name. */
export type TlsAlpnChallengeLookup = (servername: string) => SecureContext | undefined;

export const acmeTlsAlpnProtocol = 'acme-tls/1';

export class TlsAlpnChallenges {
  readonly #contexts = new Map<string, SecureContext>();

  /** Serves this challenge certificate (PEM, with its key) for `domain` until `delete`. */
  set(domain: string, certificate: { certPem: string; keyPem: string }): void {
    this.#contexts.set(
      canonical(domain),
      createSecureContext({ cert: certificate.certPem, key: certificate.keyPem, minVersion: 'TLSv1.2' }),
    );
  }

  delete(domain: string): void {
    this.#contexts.delete(canonical(domain));
  }

  readonly lookup: TlsAlpnChallengeLookup = (servername) => this.#contexts.get(canonical(servername));
}

function canonical(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
