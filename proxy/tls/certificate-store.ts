/**
 * The certificates of one TLS store, found by server name the way Traefik's store does: an
 * exact name first, then a wildcard for the name's parent (`*.example.com` for `a.example.com`),
 * then the store's default. Lookups are two map reads, whatever the number of certificates.
 */
import type { LoadedCertificate } from './loaded-certificate.js';

export class CertificateStore {
  readonly #exact = new Map<string, LoadedCertificate>();
  /** By the wildcard's suffix: `example.com` for `*.example.com`. */
  readonly #wildcard = new Map<string, LoadedCertificate>();
  readonly defaultCertificate: LoadedCertificate;
  readonly size: number;

  constructor(certificates: readonly LoadedCertificate[], defaultCertificate: LoadedCertificate) {
    this.defaultCertificate = defaultCertificate;
    for (const certificate of certificates) {
      for (const name of certificate.names) {
        if (name.startsWith('*.')) {
          const suffix = name.slice(2);
          if (!this.#wildcard.has(suffix)) this.#wildcard.set(suffix, certificate);
        } else if (!this.#exact.has(name)) this.#exact.set(name, certificate);
      }
    }
    this.size = certificates.length;
  }

  /** The certificate for `serverName` (lower case), or undefined when only the default would do. */
  match(serverName: string | undefined): LoadedCertificate | undefined {
    if (serverName === undefined || serverName === '') return undefined;
    const exact = this.#exact.get(serverName);
    if (exact) return exact;
    const dot = serverName.indexOf('.');
    return dot === -1 ? undefined : this.#wildcard.get(serverName.slice(dot + 1));
  }

  /** Every certificate, for the context cache to know what is still in use. */
  *certificates(): Iterable<LoadedCertificate> {
    yield this.defaultCertificate;
    yield* this.#exact.values();
    yield* this.#wildcard.values();
  }
}
