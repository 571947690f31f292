/**
 * One `tls.options.<name>` turned into what a handshake needs: the OpenSSL settings of its
 * SecureContexts (versions, ciphers, curves, client CAs, tickets), how to ask for a client
 * certificate (Go's five clientAuthType modes), sniStrict and the ALPN list.
 */
import { constants, createHash } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { TlsOptionsConfig } from '../config/dynamic-schema.js';
import { cipherSuites, curves, tls13Suites, tlsVersions } from './go-tls-names.js';
import { readPem } from './pem-source.js';

export type ClientAuthType = TlsOptionsConfig['clientAuth']['clientAuthType'];

export interface ResolvedTlsOptions {
  /** Qualified name (`default`, `modern@file`). */
  name: string;
  /** Settings every SecureContext made with these options gets (no certificate). */
  context: SecureContextOptions;
  /** Identifies `context`: contexts are cached by certificate and this. */
  fingerprint: string;
  clientAuthType: ClientAuthType;
  sniStrict: boolean;
  alpnProtocols: string[];
}

/** Traefik's built-in `default` options: TLS 1.2 and up, no client certificate. */
export const builtinDefaultOptions: TlsOptionsConfig = {
  minVersion: 'VersionTLS12',
  cipherSuites: [],
  curvePreferences: [],
  clientAuth: { caFiles: [], clientAuthType: 'NoClientCert' },
  sniStrict: false,
  alpnProtocols: ['h2', 'http/1.1', 'acme-tls/1'],
  disableSessionTickets: false,
};

/** Throws an AffineurError naming `keyPath` (`tls.options.<name>`) and the bad setting. */
export function resolveTlsOptions(
  name: string,
  config: TlsOptionsConfig,
  keyPath: string,
  file?: string,
): ResolvedTlsOptions {
  const fail = (key: string, message: string, hint: string): never => {
    throw new AffineurError('AFF_ERR_PROXY_TLS_OPTIONS', message, {
      ...(file ? { file } : {}),
      keyPath: `${keyPath}.${key}`,
      hint,
    });
  };
  const context: SecureContextOptions = { minVersion: tlsVersions[config.minVersion] as never };
  if (config.maxVersion) context.maxVersion = tlsVersions[config.maxVersion] as never;
  if (config.cipherSuites.length > 0) {
    const names = config.cipherSuites.map((suite, i) => {
      const openssl = cipherSuites[suite];
      if (openssl === undefined) {
        fail(
          `cipherSuites[${i}]`,
          `unknown cipher suite "${suite}".`,
          "Use Go's names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (see docs/tls.md).",
        );
      }
      return openssl as string;
    });
    const tls12 = names.filter((n) => n !== '' && !n.startsWith('TLS_'));
    // As in Go, the list governs TLS 1.0-1.2; TLS 1.3 keeps its three suites.
    context.ciphers = [tls13Suites, ...tls12].join(':');
  }
  if (config.curvePreferences.length > 0) {
    context.ecdhCurve = config.curvePreferences
      .map((curve, i) => {
        const openssl = curves[curve];
        if (openssl === undefined) {
          fail(
            `curvePreferences[${i}]`,
            `unknown curve "${curve}".`,
            'Use CurveP256, CurveP384, CurveP521 or X25519.',
          );
        }
        return openssl as string;
      })
      .join(':');
  }
  const auth = config.clientAuth;
  if (auth.caFiles.length > 0) {
    context.ca = auth.caFiles.map((ca, i) =>
      readPem(ca, { keyPath: `${keyPath}.clientAuth.caFiles[${i}]`, file }),
    );
  } else if (
    auth.clientAuthType === 'VerifyClientCertIfGiven' ||
    auth.clientAuthType === 'RequireAndVerifyClientCert'
  ) {
    fail(
      'clientAuth.caFiles',
      `clientAuthType ${auth.clientAuthType} needs the CAs to verify client certificates with.`,
      'List the CA files (PEM) under clientAuth.caFiles.',
    );
  }
  if (config.disableSessionTickets) context.secureOptions = constants.SSL_OP_NO_TICKET;
  // OpenSSL has the last word on what it can do (X25519MLKEM768 needs OpenSSL 3.5, for one).
  try {
    createSecureContext(context);
  } catch (error) {
    fail(
      context.ecdhCurve && /curve|group/i.test((error as Error).message)
        ? 'curvePreferences'
        : 'cipherSuites',
      `OpenSSL ${process.versions.openssl} refuses these options: ${(error as Error).message}.`,
      'Choose cipher suites and curves this OpenSSL supports.',
    );
  }
  return {
    name,
    context,
    fingerprint: createHash('sha256')
      .update(JSON.stringify({ ...context, tickets: config.disableSessionTickets }))
      .digest('base64url'),
    clientAuthType: auth.clientAuthType,
    sniStrict: config.sniStrict,
    alpnProtocols: config.alpnProtocols,
  };
}

/** How the TLS socket asks for a client certificate, per Go's mode (the rest is checked after). */
export function verifyMode(type: ClientAuthType): { requestCert: boolean; rejectUnauthorized: boolean } {
  switch (type) {
    case 'NoClientCert':
      return { requestCert: false, rejectUnauthorized: false };
    case 'RequireAndVerifyClientCert':
      // OpenSSL then fails the handshake itself, with no certificate or an unverified one.
      return { requestCert: true, rejectUnauthorized: true };
    default:
      return { requestCert: true, rejectUnauthorized: false };
  }
}
