import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGet, startTestProxy, type TestProxy } from '../support/harness.js';
import { createTestCa, type TestCa, writeCertificate } from '../support/test-certificates.js';

/** An HTTPS upstream that asks for a client certificate and reports what it saw. */
async function startHttpsUpstream(options: {
  cert: string;
  key: string;
  ca?: string;
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
}): Promise<{ server: Server; port: number }> {
  const server = createServer(
    {
      cert: options.cert,
      key: options.key,
      requestCert: true,
      rejectUnauthorized: false,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          client: peer?.subject?.CN ?? null,
          clientVerified: socket.authorized,
          servername: (socket as TLSSocket & { servername?: string }).servername ?? null,
          protocol: socket.getProtocol(),
          cipher: socket.getCipher().name,
        }),
      );
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

describe('upstream TLS (serversTransports)', () => {
  let ca: TestCa;
  let dir: string;
  let upstream: { server: Server; port: number };
  let proxy: TestProxy;

  beforeAll(async () => {
    ca = await createTestCa('upstream CA');
    dir = mkdtempSync(join(tmpdir(), 'affineur-upstream-tls-'));
    const { certFile: caFile } = writeCertificate(dir, 'ca', ca);
    const server = await ca.issue({
      dns: ['backend.internal'],
      ips: ['127.0.0.1'],
      uris: ['spiffe://affineur.test/backend'],
    });
    const client = writeCertificate(dir, 'client', await ca.issue({ commonName: 'proxy', client: true }));
    upstream = await startHttpsUpstream({ cert: server.certPem, key: server.keyPem, ca: ca.certPem });
    const url = `https://127.0.0.1:${upstream.port}`;
    const service = (transport?: string) => ({
      loadBalancer: { servers: [{ url }], ...(transport ? { serversTransport: transport } : {}) },
    });
    proxy = await startTestProxy({
      static: {
        // The install-level transport: what services without serversTransport use.
        serversTransport: { rootCAs: [caFile] },
      },
      dynamic: {
        http: {
          routers: Object.fromEntries(
            [
              'mtls',
              'plain',
              'wrongname',
              'insecure',
              'spiffe',
              'wrongspiffe',
              'tls12',
              'badca',
              'installlevel',
            ].map((name) => [name, { rule: `Path(\`/${name}\`)`, service: name }]),
          ),
          services: {
            mtls: service('mtls'),
            plain: service('untrusted'),
            wrongname: service('wrongname'),
            insecure: service('insecure'),
            spiffe: service('spiffe'),
            wrongspiffe: service('wrongspiffe'),
            tls12: service('tls12'),
            badca: service('badca'),
            installlevel: service(),
          },
          serversTransports: {
            mtls: { serverName: 'backend.internal', rootCAs: [caFile], certificates: [client] },
            untrusted: { serverName: 'backend.internal' },
            wrongname: { serverName: 'other.internal', rootCAs: [ca.certPem] },
            insecure: { insecureSkipVerify: true },
            spiffe: { rootCAs: [caFile], peerCertURI: 'spiffe://affineur.test/backend' },
            wrongspiffe: { rootCAs: [caFile], peerCertURI: 'spiffe://affineur.test/other' },
            tls12: {
              serverName: 'backend.internal',
              rootCAs: [caFile],
              maxVersion: 'VersionTLS12',
              cipherSuites: ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305'],
            },
            badca: { rootCAs: [join(dir, 'missing-ca.crt')] },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await new Promise((resolve) => upstream.server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (path: string) => {
    const response = await nodeGet(`${proxy.url()}${path}`);
    return {
      status: response.status,
      body: response.status === 200 ? JSON.parse(response.body) : response.body,
    };
  };

  it('trusts the private CA, sends the server name and presents the client certificate', async () => {
    const response = await get('/mtls');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      client: 'proxy',
      clientVerified: true,
      servername: 'backend.internal',
    });
  });

  it('refuses a server its CAs do not vouch for, or whose name does not match (502)', async () => {
    expect((await get('/plain')).status).toBe(502);
    expect((await get('/wrongname')).status).toBe(502);
  });

  it('skips verification with insecureSkipVerify', async () => {
    expect(await get('/insecure')).toMatchObject({ status: 200, body: { client: null } });
  });

  it('checks the URI SAN with peerCertURI instead of the host name', async () => {
    expect((await get('/spiffe')).status).toBe(200);
    expect((await get('/wrongspiffe')).status).toBe(502);
  });

  it('applies maxVersion and cipherSuites (Go names) to the upstream connection', async () => {
    expect(await get('/tls12')).toMatchObject({
      status: 200,
      body: { protocol: 'TLSv1.2', cipher: 'ECDHE-ECDSA-CHACHA20-POLY1305' },
    });
  });

  it('uses the install-level serversTransport for services that name none', async () => {
    expect((await get('/installlevel')).status).toBe(200);
  });

  it('disables a transport whose CA file cannot be read, naming it, and the services using it', async () => {
    const runtime = proxy.proxy.runtime();
    const transport = runtime?.serversTransports.get('badca@file');
    expect(transport?.status).toBe('disabled');
    expect(transport?.errors[0]?.message).toMatch(
      /http\.serversTransports\.badca\.rootCAs\[0\]: cannot read ".*missing-ca\.crt": ENOENT/,
    );
    expect(runtime?.services.get('badca@file')?.status).toBe('disabled');
    expect((await get('/badca')).status).toBe(404);
    expect((await get('/mtls')).status).toBe(200);
  });
});
