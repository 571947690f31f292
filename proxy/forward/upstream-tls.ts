/**
 * The TLS side of a servers transport, as Node's `tls.connect` options: which CAs to trust
 * (`rootCAs`), which client certificate to show (`certificates`), the server name to send and
 * check, versions and cipher suites (Go's names), and `peerCertURI`, which checks the server's
 * identity by a URI SAN (SPIFFE style) instead of by host name, as Traefik does.
 */
import { type ConnectionOptions, checkServerIdentity, type PeerCertificate } from 'node:tls';
import { AffineurError } from '../../src/errors/affineur-error.js';
import type { ServersTransportConfig } from '../config/dynamic-schema.js';
import { cipherSuites, tls13Suites, tlsVersions } from '../tls/go-tls-names.js';
import { readPem } from '../tls/pem-source.js';

/** `keyPath` names the transport (`http.serversTransports.x`), for the errors. */
export function upstreamTlsOptions(transport: ServersTransportConfig, keyPath: string): ConnectionOptions {
  const options: ConnectionOptions = { rejectUnauthorized: !transport.insecureSkipVerify };
  if (transport.serverName) options.servername = transport.serverName;
  if (transport.rootCAs.length > 0) {
    options.ca = transport.rootCAs.map((ca, i) => readPem(ca, { keyPath: `${keyPath}.rootCAs[${i}]` }));
  }
  if (transport.certificates.length > 0) {
    options.cert = transport.certificates.map((c, i) =>
      readPem(c.certFile, { keyPath: `${keyPath}.certificates[${i}].certFile` }),
    );
    options.key = transport.certificates.map((c, i) =>
      readPem(c.keyFile, { keyPath: `${keyPath}.certificates[${i}].keyFile` }),
    );
  }
  const version = (name: string | undefined, key: string) => {
    if (name === undefined) return undefined;
    const v = tlsVersions[name];
    if (v === undefined) {
      throw new AffineurError('AFF_ERR_PROXY_TLS_OPTIONS', `unknown TLS version "${name}".`, {
        keyPath: `${keyPath}.${key}`,
        hint: 'Use VersionTLS10, VersionTLS11, VersionTLS12 or VersionTLS13.',
      });
    }
    return v;
  };
  const min = version(transport.minVersion, 'minVersion');
  const max = version(transport.maxVersion, 'maxVersion');
  if (min) options.minVersion = min;
  if (max) options.maxVersion = max;
  if (transport.cipherSuites.length > 0) {
    const names = transport.cipherSuites.map((suite, i) => {
      const openssl = cipherSuites[suite];
      if (openssl === undefined) {
        throw new AffineurError('AFF_ERR_PROXY_TLS_OPTIONS', `unknown cipher suite "${suite}".`, {
          keyPath: `${keyPath}.cipherSuites[${i}]`,
          hint: "Use Go's names, such as TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (see docs/tls.md).",
        });
      }
      return openssl;
    });
    options.ciphers = [tls13Suites, ...names.filter((n) => n !== '' && !n.startsWith('TLS_'))].join(':');
  }
  if (transport.peerCertURI) {
    const uri = transport.peerCertURI;
    options.checkServerIdentity = (_host: string, cert: PeerCertificate) => {
      const sans = (cert.subjectaltname ?? '').split(', ');
      return sans.includes(`URI:${uri}`)
        ? undefined
        : new Error(`the server certificate has no URI SAN "${uri}" (serversTransport peerCertURI)`);
    };
  } else if (transport.serverName) {
    const name = transport.serverName;
    options.checkServerIdentity = (_host: string, cert: PeerCertificate) => checkServerIdentity(name, cert);
  }
  return options;
}
