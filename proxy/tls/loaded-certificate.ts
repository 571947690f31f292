/**
 * A certificate with its key, checked once when the TLS configuration is built: PEM that
 * parses, a key that matches, not expired. Its names (DNS SANs, else the CN, as Go does) are
 * what SNI selects it by.
 */
import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { AffineurError } from '../../src/errors/affineur-error.js';
import { describe, type PemPlace, readPem } from './pem-source.js';

export interface LoadedCertificate {
  /** Hash of certificate and key: the same pair always gets the same id (context cache key). */
  id: string;
  certPem: string;
  keyPem: string;
  /** Lower-case DNS names and IP addresses it is valid for (`*.example.com` for a wildcard). */
  names: string[];
  notAfter: Date;
}

export function loadCertificate(
  certFile: string,
  keyFile: string,
  place: { keyPath: string; file?: string | undefined },
  now = Date.now(),
): LoadedCertificate {
  const certPlace: PemPlace = { keyPath: `${place.keyPath}.certFile`, file: place.file };
  const keyPlace: PemPlace = { keyPath: `${place.keyPath}.keyFile`, file: place.file };
  const certPem = readPem(certFile, certPlace);
  const keyPem = readPem(keyFile, keyPlace);
  const fail = (where: PemPlace, message: string, hint: string, cause?: unknown): never => {
    throw new AffineurError('AFF_ERR_PROXY_TLS_CERTIFICATE', message, {
      ...(where.file ? { file: where.file } : {}),
      keyPath: where.keyPath,
      hint,
      ...(cause === undefined ? {} : { cause }),
    });
  };
  let certificate: X509Certificate | undefined;
  try {
    certificate = new X509Certificate(certPem);
  } catch (error) {
    fail(
      certPlace,
      `${describe(certFile)} is not a valid PEM certificate.`,
      'Give a PEM certificate (chain).',
      error,
    );
  }
  let key: ReturnType<typeof createPrivateKey> | undefined;
  try {
    key = createPrivateKey(keyPem);
  } catch (error) {
    fail(
      keyPlace,
      `${describe(keyFile)} is not a valid PEM private key.`,
      'Give an unencrypted PEM private key.',
      error,
    );
  }
  const cert = certificate as X509Certificate;
  if (!cert.checkPrivateKey(key as ReturnType<typeof createPrivateKey>)) {
    fail(
      keyPlace,
      `the key ${describe(keyFile)} does not match the certificate ${describe(certFile)}.`,
      'Pair each certificate with the private key it was issued for.',
    );
  }
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() <= now) {
    fail(
      certPlace,
      `the certificate ${describe(certFile)} (${subjectName(cert)}) expired on ${notAfter.toISOString()}.`,
      'Renew it; until then, SNI falls back to the default certificate for its names.',
    );
  }
  return {
    id: createHash('sha256').update(certPem).update('\0').update(keyPem).digest('base64url'),
    certPem,
    keyPem,
    names: certificateNames(cert),
    notAfter,
  };
}

export function certificateNames(cert: X509Certificate): string[] {
  const names: string[] = [];
  for (const entry of splitAltNames(cert.subjectAltName ?? '')) {
    if (entry.startsWith('DNS:')) names.push(entry.slice(4).toLowerCase());
    else if (entry.startsWith('IP Address:')) names.push(entry.slice(11).toLowerCase());
  }
  if (names.length === 0) {
    const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1];
    if (cn) names.push(cn.toLowerCase());
  }
  return [...new Set(names)];
}

function splitAltNames(text: string): string[] {
  // Node quotes entries that contain a comma (JSON style); names we use never do.
  return text
    .split(', ')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function subjectName(cert: X509Certificate): string {
  return certificateNames(cert)[0] ?? cert.subject.replace(/\n/g, ', ');
}
