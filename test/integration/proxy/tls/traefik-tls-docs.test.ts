/**
 * The TLS examples of Traefik v3's documentation (routing: tls, tls.options, certResolver,
 * domains; the tls section: certificates, stores, options; entryPoint http.tls and
 * redirections), written as the documentation writes them; only file paths point at
 * certificates made for the test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { staticConfigSchema } from '../../../../proxy/config/static-schema.js';
import { startTestProxy, startUpstream, type TestProxy, type Upstream } from '../support/harness.js';
import { createTestCa, writeCertificate } from '../support/test-certificates.js';
import { handshake, httpsGet } from '../support/tls-client.js';

describe("Traefik v3 documentation's TLS examples", () => {
  let dir: string;
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'affineur-tls-docs-'));
    const ca = await createTestCa();
    writeCertificate(
      dir,
      'domain',
      await ca.issue({ dns: ['foo-domain', 'example.org', 'www.example.org'] }),
    );
    writeCertificate(dir, 'other', await ca.issue({ dns: ['other.example.com'] }));
    writeCertificate(
      dir,
      'cert',
      await ca.issue({ dns: ['default.example.com'], commonName: 'store default' }),
    );
    writeCertificate(dir, 'clientca1', ca);
    upstream = await startUpstream((_req, res) => res.end('documented'));
    const dynamic = parse(`
http:
  routers:
    Router-1:
      rule: "Host(\`foo-domain\`) && Path(\`/foo-path/\`)"
      service: service-id
      # will terminate the TLS request
      tls: {}
    Router-2:
      rule: "Host(\`example.org\`)"
      service: service-id
      tls:
        options: mintls13
    Router-3:
      rule: "Host(\`www.example.org\`)"
      service: service-id
      tls:
        certResolver: myresolver
        domains:
          - main: "example.org"
            sans:
              - "*.example.org"
  services:
    service-id:
      loadBalancer:
        servers:
          - url: "${upstream.url}"
tls:
  certificates:
    - certFile: ${dir}/domain.crt
      keyFile: ${dir}/domain.key
    - certFile: ${dir}/other.crt
      keyFile: ${dir}/other.key
      stores:
        - default
  stores:
    default:
      defaultCertificate:
        certFile: ${dir}/cert.crt
        keyFile: ${dir}/cert.key
  options:
    default:
      minVersion: VersionTLS12
    mintls13:
      minVersion: VersionTLS13
    strict:
      minVersion: VersionTLS12
      cipherSuites:
        - TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
        - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
        - TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305
        - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305
        - TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
        - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
      curvePreferences:
        - CurveP521
        - CurveP384
      sniStrict: true
      alpnProtocols:
        - http/1.1
        - h2
      clientAuth:
        caFiles:
          - ${dir}/clientca1.crt
        clientAuthType: RequireAndVerifyClientCert
      preferServerCipherSuites: true
`);
    proxy = await startTestProxy({ dynamic });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads with no error and serves as documented', async () => {
    const runtime = proxy.proxy.runtime();
    expect(runtime?.errors.map((e) => e.message)).toEqual([]);
    expect([...(runtime?.routers.values() ?? [])].map((r) => r.status)).toEqual([
      'enabled',
      'enabled',
      'enabled',
    ]);
    // The certResolver stays in the runtime view, for the ACME resolver to act on.
    expect(runtime?.routers.get('Router-3@file')?.config?.tls).toMatchObject({
      certResolver: 'myresolver',
      domains: [{ main: 'example.org', sans: ['*.example.org'] }],
    });
    expect((await httpsGet(proxy.port(), 'foo-domain', '/foo-path/')).body).toBe('documented');
    expect((await handshake(proxy.port(), { servername: 'example.org' })).protocol).toBe('TLSv1.3');
    expect((await handshake(proxy.port(), { servername: 'example.org', maxVersion: 'TLSv1.2' })).ok).toBe(
      false,
    );
    // An unknown name gets the store's default certificate, not the generated one.
    expect((await handshake(proxy.port(), { servername: 'unknown.example.com' })).commonName).toBe(
      'store default',
    );
  });

  it('accepts the entryPoint examples: http.tls with a resolver and domains, redirections, http2', () => {
    const config = staticConfigSchema.parse(
      parse(`
entryPoints:
  web:
    address: ":80"
    http:
      redirections:
        entryPoint:
          to: websecure
          scheme: https
          permanent: true
  websecure:
    address: ":443"
    http2:
      maxConcurrentStreams: 250
    http:
      tls:
        options: foobar
        certResolver: leresolver
        domains:
          - main: example.com
            sans:
              - foo.example.com
              - bar.example.com
`),
    );
    expect(config.entryPoints.web?.http.redirections?.entryPoint).toMatchObject({
      to: 'websecure',
      scheme: 'https',
      permanent: true,
    });
    expect(config.entryPoints.websecure?.http.tls?.certResolver).toBe('leresolver');
  });
});
