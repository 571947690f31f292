/**
 * TLS-ALPN-01 (RFC 8737): the resolver hands each challenge certificate to a sink, and takes it
 * back once the CA has validated. The TLS layer's registry (`proxy/tls/tls-alpn-challenges.ts`)
 * is the sink in the proxy: a TLS entryPoint answers a ClientHello that offers `acme-tls/1` for
 * that name with it. The resolver needs only these two methods, so it does not depend on the
 * TLS layer.
 */
export interface TlsAlpnChallengeCertificate {
  certPem: string;
  keyPem: string;
}

export interface TlsAlpnChallengeSink {
  set(domain: string, pair: TlsAlpnChallengeCertificate): void;
  delete(domain: string): void;
}
