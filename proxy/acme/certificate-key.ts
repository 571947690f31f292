/**
 * Private keys for certificates and accounts, in the encodings Traefik (lego) stores: a
 * certificate key as "EC PRIVATE KEY" (SEC1) or "RSA PRIVATE KEY" (PKCS#1) PEM, the account key
 * as PKCS#1 DER of RSA 4096. acme-client signs with WebCrypto, which takes PKCS#8: both forms
 * are returned.
 */
import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { AcmeKeyType } from './acme-resolver-schema.js';

const generate = promisify(generateKeyPair);

export interface CertificateKey {
  /** For acme-client (CSR signing). */
  pkcs8Pem: string;
  /** For acme.json and the TLS store, as lego writes it. */
  storedPem: string;
}

export async function generateCertificateKey(keyType: AcmeKeyType): Promise<CertificateKey> {
  const { privateKey } = keyType.startsWith('EC')
    ? await generate('ec', { namedCurve: keyType === 'EC256' ? 'P-256' : 'P-384' })
    : await generate('rsa', { modulusLength: Number(keyType.slice(3)) });
  return encodings(privateKey);
}

function encodings(key: KeyObject): CertificateKey {
  const traditional = key.asymmetricKeyType === 'ec' ? 'sec1' : 'pkcs1';
  return {
    pkcs8Pem: key.export({ format: 'pem', type: 'pkcs8' }).toString(),
    storedPem: key.export({ format: 'pem', type: traditional }).toString(),
  };
}

/** A new account key: RSA 4096, as Traefik creates accounts. */
export async function generateAccountKey(): Promise<{ pkcs8Pem: string; pkcs1DerBase64: string }> {
  const { privateKey } = await generate('rsa', { modulusLength: 4096 });
  return {
    pkcs8Pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    pkcs1DerBase64: privateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64'),
  };
}

/** The stored account key (base64 PKCS#1 DER) as PKCS#8 PEM; throws when it is not an RSA key. */
export function accountKeyFromStorage(pkcs1DerBase64: string): string {
  const key = createPrivateKey({ key: Buffer.from(pkcs1DerBase64, 'base64'), format: 'der', type: 'pkcs1' });
  return key.export({ format: 'pem', type: 'pkcs8' }).toString();
}
