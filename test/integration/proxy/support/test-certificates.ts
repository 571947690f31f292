/**
 * Certificates made at test time (no private key is committed): a private CA and leaf
 * certificates it signs, ECDSA P-256 or RSA 2048, with DNS, IP and URI SANs, for servers or
 * clients, and expired ones on request.
 */
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export type KeyKind = 'ec' | 'rsa';

export interface TestCertificate {
  certPem: string;
  keyPem: string;
}

export interface TestCa extends TestCertificate {
  issue(options: IssueOptions): Promise<TestCertificate>;
}

export interface IssueOptions {
  commonName?: string;
  dns?: string[];
  ips?: string[];
  uris?: string[];
  client?: boolean;
  key?: KeyKind;
  /** Days from now; negative for an expired certificate. */
  notAfterDays?: number;
}

function algorithm(kind: KeyKind) {
  return kind === 'rsa'
    ? {
        name: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
        publicExponent: new Uint8Array([1, 0, 1]),
        modulusLength: 2048,
      }
    : { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
}

let serial = 1;

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey), 'PRIVATE KEY');
}

export async function createTestCa(name = 'affineur test CA'): Promise<TestCa> {
  const alg = algorithm('ec');
  const keys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16).padStart(2, '0'),
    name: `CN=${name}`,
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 30 * 86_400_000),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certPem: ca.toString('pem'),
    keyPem: await keyPem(keys),
    async issue(options) {
      const leafAlg = algorithm(options.key ?? 'ec');
      const leafKeys = (await webcrypto.subtle.generateKey(leafAlg, true, [
        'sign',
        'verify',
      ])) as CryptoKeyPair;
      const days = options.notAfterDays ?? 10;
      const names = [
        ...(options.dns ?? []).map((value) => ({ type: 'dns' as const, value })),
        ...(options.ips ?? []).map((value) => ({ type: 'ip' as const, value })),
        ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value })),
      ];
      const leaf = await x509.X509CertificateGenerator.create({
        serialNumber: (serial++).toString(16).padStart(2, '0'),
        subject: `CN=${options.commonName ?? options.dns?.[0] ?? 'client'}, O=affineur tests`,
        issuer: ca.subject,
        notBefore: new Date(now - 3_600_000 + (days < 0 ? days * 86_400_000 * 2 : 0)),
        notAfter: new Date(Date.now() + days * 86_400_000),
        signingKey: keys.privateKey,
        publicKey: leafKeys.publicKey,
        signingAlgorithm: alg,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.ExtendedKeyUsageExtension([
            options.client ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth,
          ]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
          await x509.AuthorityKeyIdentifierExtension.create(ca),
        ],
      });
      return { certPem: leaf.toString('pem'), keyPem: await keyPem(leafKeys) };
    },
  };
}

/** Writes a certificate and key as `<name>.crt` and `<name>.key` into `dir`; returns the paths. */
export function writeCertificate(
  dir: string,
  name: string,
  certificate: TestCertificate,
): { certFile: string; keyFile: string } {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(certFile, certificate.certPem);
  writeFileSync(keyFile, certificate.keyPem, { mode: 0o600 });
  return { certFile, keyFile };
}
