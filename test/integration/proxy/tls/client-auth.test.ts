import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAuthTypes } from '../../../../proxy/config/dynamic-schema.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from '../support/harness.js';
import { createTestCa, type TestCertificate } from '../support/test-certificates.js';
import { httpsGet } from '../support/tls-client.js';

const hostOf = (mode: string) => `${mode.toLowerCase()}.test`;

describe('client certificates (clientAuth) and passTLSClientCert', () => {
  let dir: string;
  let upstream: Upstream;
  let proxy: TestProxy;
  let good: TestCertificate;
  let rogue: TestCertificate;

  beforeAll(async () => {
    const ca = await createTestCa('client CA');
    const otherCa = await createTestCa('rogue CA');
    dir = mkdtempSync(join(tmpdir(), 'affineur-mtls-'));
    writeFileSync(join(dir, 'client-ca.crt'), ca.certPem);
    const server = await ca.issue({ dns: clientAuthTypes.map(hostOf) });
    good = await ca.issue({ commonName: 'alice', client: true, dns: ['alice.example'] });
    rogue = await otherCa.issue({ commonName: 'mallory', client: true });
    upstream = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          pem: req.headers['x-forwarded-tls-client-cert'] ?? null,
          info: req.headers['x-forwarded-tls-client-cert-info'] ?? null,
        }),
      );
    });
    proxy = await startTestProxy({
      dynamic: {
        http: {
          routers: Object.fromEntries(
            clientAuthTypes.map((mode) => [
              mode,
              {
                rule: `Host(\`${hostOf(mode)}\`)`,
                service: 'app',
                middlewares: ['cert'],
                tls: { options: mode },
              },
            ]),
          ),
          middlewares: {
            cert: {
              passTLSClientCert: {
                pem: true,
                info: {
                  serialNumber: true,
                  sans: true,
                  subject: { commonName: true, organization: true },
                  issuer: { commonName: true },
                },
              },
            },
          },
          services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        },
        tls: {
          certificates: [{ certFile: server.certPem, keyFile: server.keyPem }],
          options: Object.fromEntries(
            clientAuthTypes.map((mode) => [
              mode,
              { clientAuth: { clientAuthType: mode, caFiles: [join(dir, 'client-ca.crt')] } },
            ]),
          ),
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function outcome(mode: string, client?: TestCertificate): Promise<number | 'refused'> {
    try {
      const response = await httpsGet(
        proxy.port(),
        hostOf(mode),
        '/',
        client ? { cert: client.certPem, key: client.keyPem } : {},
      );
      return response.status;
    } catch {
      return 'refused';
    }
  }

  it.each([
    ['NoClientCert', 200, 200, 200],
    ['RequestClientCert', 200, 200, 200],
    ['RequireAnyClientCert', 'refused', 200, 200],
    ['VerifyClientCertIfGiven', 200, 200, 'refused'],
    ['RequireAndVerifyClientCert', 'refused', 200, 'refused'],
  ] as const)('%s: none → %s, CA-signed → %s, other CA → %s', async (mode, none, signed, other) => {
    expect(await outcome(mode)).toBe(none);
    expect(await outcome(mode, good)).toBe(signed);
    expect(await outcome(mode, rogue)).toBe(other);
  });

  it('passes the verified certificate as PEM and info, as Traefik formats them', async () => {
    const response = await httpsGet(proxy.port(), hostOf('RequireAndVerifyClientCert'), '/', {
      cert: good.certPem,
      key: good.keyPem,
    });
    const body = JSON.parse(response.body) as { pem: string; info: string };
    const x509 = new X509Certificate(good.certPem);
    expect(decodeURIComponent(body.pem)).toBe(x509.raw.toString('base64'));
    const info = decodeURIComponent(body.info.replace(/\+/g, ' '));
    expect(info).toBe(
      `Subject="O=affineur tests,CN=alice";Issuer="CN=client CA";SerialNumber="${BigInt(`0x${x509.serialNumber}`)}";SAN="alice.example"`,
    );
  });

  it('gives nothing when the client sent no certificate, and never lets a client forge the headers', async () => {
    const response = await httpsGet(proxy.port(), hostOf('NoClientCert'), '/', {
      headers: { 'x-forwarded-tls-client-cert': 'forged', 'x-forwarded-tls-client-cert-info': 'forged' },
    });
    expect(JSON.parse(response.body)).toEqual({ pem: null, info: null });
  });

  it('keeps serving plain HTTP on the same entryPoint (no router there: 404)', async () => {
    expect((await nodeGet(`${proxy.url()}/`, { host: hostOf('NoClientCert') })).status).toBe(404);
  });
});
