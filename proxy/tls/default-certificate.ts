/**
 * The certificate served when nothing else matches and no default is configured: Traefik's
 * "TRAEFIK DEFAULT CERT", a self-signed certificate made at start. Made with @peculiar/x509 on
 * WebCrypto (ECDSA P-256: quick to make and to handshake with), once per process.
 */
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export interface PemPair {
  certPem: string;
  keyPem: string;
}

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

let generated: Promise<PemPair> | undefined;

export function defaultCertificate(): Promise<PemPair> {
  generated ??= selfSigned('TRAEFIK DEFAULT CERT', [randomDefaultName()], 365);
  return generated;
}

/** A self-signed certificate for `names` (the first is also the CN), valid `days` from now. */
export async function selfSigned(commonName: string, names: string[], days: number): Promise<PemPair> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: `CN=${commonName}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + days * 86_400_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((value) => ({ type: 'dns' as const, value }))),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certPem: certificate.toString('pem'),
    keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

/** Traefik's default certificate names a random `<hex>.<hex>.traefik.default`. */
function randomDefaultName(): string {
  const hex = (n: number) => Buffer.from(webcrypto.getRandomValues(new Uint8Array(n))).toString('hex');
  return `${hex(16)}.${hex(16)}.traefik.default`;
}
