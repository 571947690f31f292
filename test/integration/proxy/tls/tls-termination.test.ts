import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeGet, startTestProxy, startUpstream, type TestProxy, type Upstream } from '../support/harness.js';
import { createTestCa, type TestCa, writeCertificate } from '../support/test-certificates.js';
import { handshake, httpsGet } from '../support/tls-client.js';

const run = promisify(execFile);

describe('TLS termination', () => {
  let ca: TestCa;
  let dir: string;
  let upstream: Upstream;
  let proxy: TestProxy;
  let files: Record<'main' | 'other' | 'expired' | 'renewed', { certFile: string; keyFile: string }>;
  let wildcardPem: { certPem: string; keyPem: string };

  function dynamic(mainCert = files.main) {
    return {
      http: {
        routers: {
          secure: { rule: 'Host(`a.test`) || Host(`x.wild.test`)', service: 'app', tls: {} },
          plain: { rule: 'Host(`a.test`)', service: 'plain' },
          strict: {
            rule: 'Host(`strict.test`) || Host(`known.test`)',
            service: 'app',
            tls: { options: 'strict' },
          },
          old: { rule: 'Host(`old.test`)', service: 'app', tls: { options: 'tls12' } },
          bogus: { rule: 'Host(`bogus.test`)', service: 'app', tls: { options: 'bogus' } },
          missing: { rule: 'Host(`missing.test`)', service: 'app', tls: { options: 'nowhere' } },
          // As labels and KV stores write it.
          labelStyle: { rule: 'Host(`label.test`)', service: 'app', tls: true },
          conflictA: { rule: 'Host(`conflict.test`)', service: 'app', tls: { options: 'strict' } },
          conflictB: {
            rule: 'Host(`conflict.test`) && Path(`/b`)',
            service: 'app',
            tls: { options: 'tls12' },
          },
        },
        services: {
          app: { loadBalancer: { servers: [{ url: upstream.url }] } },
          plain: { loadBalancer: { servers: [{ url: `${upstream.url}/plain`, preservePath: true }] } },
        },
      },
      tls: {
        certificates: [
          mainCert,
          // Inline PEM, as Traefik accepts and ACME providers emit.
          { certFile: wildcardPem.certPem, keyFile: wildcardPem.keyPem },
          files.expired,
          { certFile: files.main.certFile, keyFile: files.other.keyFile },
          { certFile: files.main.certFile, keyFile: join(dir, 'absent.key') },
        ],
        options: {
          strict: { sniStrict: true },
          tls12: { maxVersion: 'VersionTLS12', cipherSuites: ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256'] },
          bogus: { cipherSuites: ['TLS_NOT_A_SUITE'] },
          typo: { minVersoin: 'VersionTLS13' },
        },
      },
    };
  }

  beforeAll(async () => {
    ca = await createTestCa();
    dir = mkdtempSync(join(tmpdir(), 'affineur-tls-'));
    writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    files = {
      main: writeCertificate(dir, 'main', await ca.issue({ dns: ['a.test', 'known.test', 'old.test'] })),
      other: writeCertificate(dir, 'other', await ca.issue({ dns: ['other.test'] })),
      expired: writeCertificate(dir, 'expired', await ca.issue({ dns: ['expired.test'], notAfterDays: -1 })),
      renewed: writeCertificate(
        dir,
        'renewed',
        await ca.issue({ dns: ['a.test', 'known.test', 'old.test'], commonName: 'renewed' }),
      ),
    };
    wildcardPem = await ca.issue({ dns: ['*.wild.test'], key: 'rsa' });
    upstream = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ url: req.url, proto: req.headers['x-forwarded-proto'], host: req.headers.host }),
      );
    });
    upstream.server.on('upgrade', (req, socket) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Proto-Seen: ${req.headers['x-forwarded-proto']}\r\n\r\n`,
      );
      socket.pipe(socket);
    });
    proxy = await startTestProxy({ dynamic: dynamic() });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the certificate of the server name: exact, then wildcard, then the generated default', async () => {
    const exact = await handshake(proxy.port(), { servername: 'a.test' });
    expect(exact.ok).toBe(true);
    expect(exact.names).toContain('a.test');
    const wildcard = await handshake(proxy.port(), { servername: 'x.wild.test' });
    expect(wildcard.names).toEqual(['*.wild.test']);
    const unknown = await handshake(proxy.port(), { servername: 'unknown.test' });
    expect(unknown.commonName).toBe('TRAEFIK DEFAULT CERT');
    const none = await handshake(proxy.port(), {});
    expect(none.commonName).toBe('TRAEFIK DEFAULT CERT');
  });

  it('verifies against the private CA, routes by SNI host and says https upstream', async () => {
    const response = await httpsGet(proxy.port(), 'a.test', '/hello', {
      ca: ca.certPem,
      rejectUnauthorized: true,
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ url: '/hello', proto: 'https', host: 'a.test' });
    // The same port still speaks plain HTTP, to the routers without TLS.
    const plain = await nodeGet(`${proxy.url()}/hello`, { host: 'a.test' });
    expect(JSON.parse(plain.body)).toMatchObject({ url: '/plain/hello', proto: 'http' });
    expect((await httpsGet(proxy.port(), 'label.test', '/')).status).toBe(200);
    // A TLS request never reaches a router without TLS.
    expect((await httpsGet(proxy.port(), 'nothing.test', '/')).status).toBe(404);
  });

  it('carries a WebSocket upgrade over TLS (wss), bytes both ways', async () => {
    const echoed = await new Promise<{ data: string; proto: unknown }>((resolve, reject) => {
      const req = httpsRequest({
        host: '127.0.0.1',
        port: proxy.port(),
        path: '/ws',
        servername: 'a.test',
        ca: ca.certPem,
        agent: false,
        headers: {
          host: 'a.test',
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.write('ping-frame');
        socket.once('data', (data: Buffer) => {
          socket.destroy();
          resolve({ data: data.toString(), proto: res.headers['x-proto-seen'] });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(echoed).toEqual({ data: 'ping-frame', proto: 'wss' });
  });

  it('answers curl --resolve and openssl s_client with the right certificate', async () => {
    const port = proxy.port();
    const curl = await run('curl', [
      '-sS',
      '--resolve',
      `a.test:${port}:127.0.0.1`,
      '--cacert',
      join(dir, 'ca.crt'),
      '-w',
      '\n%{http_version} %{http_code}',
      `https://a.test:${port}/curl`,
    ]);
    expect(curl.stdout).toMatch(/"url":"\/curl"/);
    expect(curl.stdout.trim().split('\n').at(-1)).toBe('2 200');
    const openssl = await run('sh', [
      '-c',
      `echo | openssl s_client -connect 127.0.0.1:${port} -servername x.wild.test -CAfile ${join(dir, 'ca.crt')} 2>&1`,
    ]);
    expect(openssl.stdout).toMatch(/subject=.*CN\s*=\s*\*\.wild\.test/);
    expect(openssl.stdout).toMatch(/Verify return code: 0 \(ok\)/);
  });

  it('refuses unknown names under sniStrict, and serves the names it has a certificate for', async () => {
    const refused = await handshake(proxy.port(), { servername: 'strict.test' });
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/unrecognized name|alert/i);
    const known = await handshake(proxy.port(), { servername: 'known.test' });
    expect(known.ok).toBe(true);
  });

  it('refuses a Host whose TLS options differ from those of the connection (421)', async () => {
    const response = await httpsGet(proxy.port(), 'known.test', '/', { headers: { host: 'a.test' } });
    expect(response.status).toBe(421);
  });

  it("uses the default options for a host whose routers disagree, with an error (Traefik's rule)", async () => {
    const errors = (proxy.proxy.runtime()?.errors ?? []).map((e) => e.message).join('\n');
    expect(errors).toMatch(
      /routers for host "conflict\.test" on entryPoint "web" ask for different TLS options/,
    );
    // Not sniStrict (strict@file), not TLS 1.2 only (tls12@file): the default options.
    const result = await handshake(proxy.port(), { servername: 'conflict.test' });
    expect(result).toMatchObject({ ok: true, protocol: 'TLSv1.3', commonName: 'TRAEFIK DEFAULT CERT' });
  });

  it('applies TLS versions and cipher suites per router host', async () => {
    expect((await handshake(proxy.port(), { servername: 'a.test' })).protocol).toBe('TLSv1.3');
    const old = await handshake(proxy.port(), { servername: 'old.test' });
    expect(old.protocol).toBe('TLSv1.2');
    expect(old.cipher).toBe('ECDHE-ECDSA-AES128-GCM-SHA256');
    const otherCipher = await handshake(proxy.port(), {
      servername: 'old.test',
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-ECDSA-AES256-GCM-SHA384',
    });
    expect(otherCipher.ok).toBe(false);
    const tooOld = await handshake(proxy.port(), {
      servername: 'a.test',
      minVersion: 'TLSv1',
      maxVersion: 'TLSv1.1',
    });
    expect(tooOld.ok).toBe(false);
  });

  it('names each bad certificate, key and option, and keeps serving the rest', async () => {
    const errors = (proxy.proxy.runtime()?.errors ?? []).map((e) => e.message).join('\n');
    expect(errors).toContain('absent.key');
    expect(errors).toMatch(/tls\.certificates\[4\]\.keyFile/);
    expect(errors).toMatch(/does not match the certificate/);
    expect(errors).toMatch(/expired\.test\) expired on/);
    expect(errors).toMatch(/tls\.options\.bogus\.cipherSuites\[0\]: unknown cipher suite "TLS_NOT_A_SUITE"/);
    expect(errors).toMatch(/dynamic\.yml.*tls\.options\.typo\.minVersoin.*minVersion/);
    const missing = proxy.proxy.runtime()?.routers.get('missing@file');
    expect(missing?.status).toBe('disabled');
    expect(missing?.errors[0]?.message).toMatch(/TLS options "nowhere@file" do not exist/);
    // Routers with broken options fall back to the default options, and serve.
    expect((await httpsGet(proxy.port(), 'bogus.test', '/')).status).toBe(200);
  });

  it('swaps certificates live: open connections keep going, new handshakes get the new one', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await httpsGet(proxy.port(), 'a.test', '/1', { agent });
    expect(first.status).toBe(200);
    await proxy.write('dynamic.yml', dynamic(files.renewed));
    const again = await httpsGet(proxy.port(), 'a.test', '/2', { agent });
    expect(again.status).toBe(200);
    expect((agent as unknown as { totalSocketCount: number }).totalSocketCount).toBe(1);
    const fresh = await handshake(proxy.port(), { servername: 'a.test' });
    expect(fresh.commonName).toBe('renewed');
    agent.destroy();
  });

  it('refuses garbage that starts like TLS, and still serves', async () => {
    const { connect } = await import('node:net');
    const closed = await new Promise<string>((resolve) => {
      const socket = connect(proxy.port(), '127.0.0.1', () =>
        socket.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 2, 0, 0, 1, 0])),
      );
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('close', () => resolve(Buffer.concat(chunks).toString('hex')));
    });
    expect(closed).toBe('15030300020232'); // a fatal decode_error alert
    expect((await httpsGet(proxy.port(), 'a.test', '/')).status).toBe(200);
  });
});
