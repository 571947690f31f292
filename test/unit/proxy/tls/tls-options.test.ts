import { describe, expect, it } from 'vitest';
import { tlsOptionsSchema } from '../../../../proxy/config/dynamic-schema.js';
import { compileRule } from '../../../../proxy/rules/compile-rule.js';
import { ruleHostNames } from '../../../../proxy/rules/rule-host-names.js';
import { resolveTlsOptions, verifyMode } from '../../../../proxy/tls/tls-options.js';

const options = (value: unknown) => tlsOptionsSchema.parse(value);

describe('TLS options', () => {
  it("maps Go's versions, cipher suites and curves to OpenSSL's", () => {
    const resolved = resolveTlsOptions(
      'modern@file',
      options({
        minVersion: 'VersionTLS12',
        maxVersion: 'VersionTLS13',
        cipherSuites: [
          'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
          'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
          'TLS_AES_128_GCM_SHA256',
        ],
        curvePreferences: ['CurveP521', 'secp384r1', 'X25519'],
      }),
      'tls.options.modern',
    );
    expect(resolved.context).toMatchObject({
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers:
        'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305',
      ecdhCurve: 'P-521:P-384:X25519',
    });
    expect(resolved.alpnProtocols).toEqual(['h2', 'http/1.1', 'acme-tls/1']);
  });

  it('names the option and the bad value it cannot map', () => {
    expect(() =>
      resolveTlsOptions('x', options({ curvePreferences: ['CurveP256', 'CurveP999'] }), 'tls.options.x'),
    ).toThrow(/tls\.options\.x\.curvePreferences\[1\]: unknown curve "CurveP999"/);
    expect(() =>
      resolveTlsOptions(
        'x',
        options({ clientAuth: { clientAuthType: 'RequireAndVerifyClientCert' } }),
        'tls.options.x',
      ),
    ).toThrow(/tls\.options\.x\.clientAuth\.caFiles: .*needs the CAs/);
    expect(() => tlsOptionsSchema.parse({ minVersion: 'TLS1.2' })).toThrow(/VersionTLS12/);
    expect(() => tlsOptionsSchema.parse({ clientAuth: { clientAuthType: 'Sometimes' } })).toThrow(
      /RequireAndVerifyClientCert/,
    );
  });

  it("asks for client certificates as each of Go's modes needs", () => {
    expect(verifyMode('NoClientCert')).toEqual({ requestCert: false, rejectUnauthorized: false });
    expect(verifyMode('RequestClientCert')).toEqual({ requestCert: true, rejectUnauthorized: false });
    expect(verifyMode('RequireAnyClientCert')).toEqual({ requestCert: true, rejectUnauthorized: false });
    expect(verifyMode('VerifyClientCertIfGiven')).toEqual({ requestCert: true, rejectUnauthorized: false });
    expect(verifyMode('RequireAndVerifyClientCert')).toEqual({ requestCert: true, rejectUnauthorized: true });
  });
});

describe('ruleHostNames', () => {
  it("lists the literal Host names of a rule, as Traefik's ParseDomains (for ACME and TLS options)", () => {
    expect(
      ruleHostNames(compileRule('(Host(`A.example.com`) || Host(`b.example.com.`)) && PathPrefix(`/x`)')),
    ).toEqual(['a.example.com', 'b.example.com']);
    expect(ruleHostNames('(Host(`a.test`) || Host(`c.test`)) && !Host(`not.test`)')).toEqual([
      'a.test',
      'c.test',
    ]);
    expect(ruleHostNames('HostRegexp(`^.+\\.test$`) || PathPrefix(`/`)')).toEqual([]);
  });
});
