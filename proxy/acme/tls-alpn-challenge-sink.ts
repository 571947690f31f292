/**
 * TLS-ALPN-01 (RFC 8737): the resolver hands each challenge certificate to a sink; the TLS
 * entryPoint answers a ClientHello that offers only `acme-tls/1` for that name with it. The
 * TLS layer's registry (`proxy/tls/tls-alpn-challenges.ts`) has this same shape; the map below
 * is the sink until it is wired, and the one tests serve from a plain `node:tls` server.
 */
export interface TlsAlpnChallengeCertificate {
  certPem: string;
  keyPem: string;
}

export interface TlsAlpnChallengeSink {
  set(domain: string, pair: TlsAlpnChallengeCertificate): void;
  delete(domain: string): void;
}

/** The ALPN protocol a validation connection offers, alone. */
export const acmeTlsAlpnProtocol = 'acme-tls/1';

export class TlsAlpnChallengeMap implements TlsAlpnChallengeSink {
  readonly #pairs = new Map<string, TlsAlpnChallengeCertificate>();

  set(domain: string, pair: TlsAlpnChallengeCertificate): void {
    this.#pairs.set(domain.toLowerCase(), pair);
  }

  delete(domain: string): void {
    this.#pairs.delete(domain.toLowerCase());
  }

  get(domain: string): TlsAlpnChallengeCertificate | undefined {
    return this.#pairs.get(domain.toLowerCase());
  }
}
