/**
 * ACME resolvers against a real pebble: HTTP-01 validated through the proxy's real HTTP
 * entryPoint, TLS-ALPN-01 validated against a bare `node:tls` server answering `acme-tls/1`
 * from the TLS layer's challenge registry, acme.json in Traefik's format reused by a second
 * start, renewal of a short-lived certificate in the background, and an ACME server that is down.
 * What a user runs (install file, routers, the TLS entryPoint answering) is in
 * acme-https-end-to-end.test.ts.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCaConnection } from '../../../../proxy/acme/acme-ca-connection.js';
import { acmeJsonStore } from '../../../../proxy/acme/acme-json-store.js';
import { AcmeResolver } from '../../../../proxy/acme/acme-resolver.js';
import { acmeSchema } from '../../../../proxy/acme/acme-resolver-schema.js';
import type { ConfigMessage } from '../../../../proxy/provider/provider.js';
import { acmeTlsAlpnProtocol, TlsAlpnChallenges } from '../../../../proxy/tls/tls-alpn-challenges.js';
import { freePort, type Pebble, pebble } from '../../../support/services.js';
import { nodeGet, startTestProxy, startUpstream, type TestProxy } from '../support/harness.js';

function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    }),
  );
  return { logger, lines };
}

/**
 * A bare TLS server that answers TLS-ALPN-01 validations from the TLS layer's registry: the
 * resolver alone, without a proxy (acme-https-end-to-end.test.ts has the TLS entryPoint answer).
 */
async function startAlpnResponder(sink: TlsAlpnChallenges): Promise<TlsServer & { validations: string[] }> {
  const validations: string[] = [];
  const server = createTlsServer({
    ALPNCallback: ({ protocols }) =>
      protocols.includes(acmeTlsAlpnProtocol) ? acmeTlsAlpnProtocol : undefined,
    SNICallback: (servername, callback) => {
      const context = sink.lookup(servername);
      if (!context) return callback(new Error(`no challenge for ${servername}`));
      callback(null, context);
    },
  });
  server.on('secureConnection', (socket) => {
    // What pebble's validation negotiated: the name it asked for and the protocol.
    validations.push(`${(socket as unknown as { servername: string }).servername} ${socket.alpnProtocol}`);
    socket.end();
  });
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { validations });
}

function portOf(server: TlsServer): number {
  return (server.address() as AddressInfo).port;
}

/** Leaf, then intermediate; checks each signature up to pebble's issuing root. */
function verifyChain(chainPem: string, rootPem: string): X509Certificate {
  const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const [leaf, ...rest] = blocks.map((pem) => new X509Certificate(pem));
  const root = new X509Certificate(rootPem);
  let child = leaf as X509Certificate;
  for (const parent of [...rest, root]) {
    expect(child.verify(parent.publicKey)).toBe(true);
    child = parent;
  }
  return leaf as X509Certificate;
}

function resolverConfig(ca: Pebble, storage: string, extra: Record<string, unknown>) {
  return acmeSchema.parse({
    email: 'ops@example.test',
    caServer: ca.directoryUrl,
    storage,
    keyType: 'EC256',
    caCertificates: [ca.httpsCaFile],
    ...extra,
  });
}

describe('ACME resolvers against a real pebble', () => {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-acme-'));
  const storage = join(dir, 'acme.json');
  const accessLog = join(dir, 'access.log');
  let httpPort: number;
  let tlsPort: number;
  let ca: Pebble;
  let alpnServer: TlsServer & { validations: string[] };
  const alpnSink = new TlsAlpnChallenges();

  beforeAll(async () => {
    // The responder binds first, so pebble is told a port that is really ours.
    alpnServer = await startAlpnResponder(alpnSink);
    tlsPort = portOf(alpnServer);
    httpPort = await freePort();
    ca = await pebble({ httpPort, tlsPort });
  });

  afterAll(async () => {
    alpnServer?.close();
    await ca?.stop();
  });

  function proxyWithResolver(): Promise<TestProxy> {
    return startTestProxy({
      static: {
        entryPoints: { web: { address: `127.0.0.1:${httpPort}` } },
        accessLog: { filePath: accessLog, format: 'json', addInternals: true },
        certificatesResolvers: {
          le: {
            acme: {
              email: 'ops@example.test',
              caServer: ca.directoryUrl,
              storage,
              keyType: 'EC256',
              httpChallenge: { entryPoint: 'web' },
              caCertificates: [ca.httpsCaFile],
            },
          },
        },
      },
    });
  }

  it('obtains a certificate through HTTP-01, validated by pebble against the proxy entryPoint', async () => {
    const proxy = await proxyWithResolver();
    try {
      // Unknown tokens get a 404 from acme-http@internal, not from a user router.
      const miss = await nodeGet(`${proxy.url()}/.well-known/acme-challenge/unknown`, {
        host: 'app.example.test',
      });
      expect(miss.status).toBe(404);
      const resolver = proxy.proxy.acmeResolvers.get('le') as AcmeResolver;
      expect(resolver.name).toBe('le.acme');
      const ordersBefore = ca.ordersCreated();
      const outcomes = await resolver.ensureDomains([
        { main: 'app.example.test', sans: ['www.example.test'] },
      ]);
      expect(outcomes.map((o) => o.error?.message)).toEqual([undefined]);
      expect(ca.ordersCreated()).toBe(ordersBefore + 1);
      // pebble's validations came through the entryPoint and got their answers from acme-http@internal.
      const answered = readFileSync(accessLog, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line))
        .filter((e) => e.RouterName === 'acme-http@internal' && e.DownstreamStatus === 200);
      expect(answered.map((e) => e.RequestHost).sort()).toEqual(
        expect.arrayContaining(['app.example.test', 'www.example.test']),
      );
      const [held] = resolver.certificates;
      const leaf = verifyChain(held?.certPem ?? '', await ca.issuingRootPem());
      expect(leaf.subjectAltName).toBe('DNS:app.example.test, DNS:www.example.test');
      expect(held?.keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
      expect(leaf.checkPrivateKey(createPrivateKey(held?.keyPem ?? ''))).toBe(true);
      // A second demand for covered names orders nothing.
      expect(await resolver.ensureDomains([{ main: 'www.example.test' }])).toEqual([]);
      expect(ca.ordersCreated()).toBe(ordersBefore + 1);
    } finally {
      await proxy.close();
    }
  });

  it('writes acme.json in Traefik format, mode 0600, and a second start orders nothing', async () => {
    expect(statSync(storage).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(storage, 'utf8'));
    const le = file.le;
    expect(Object.keys(le).sort()).toEqual(['Account', 'Certificates']);
    expect(le.Account.Email).toBe('ops@example.test');
    expect(le.Account.Registration.uri).toMatch(new RegExp(`^${new URL(ca.directoryUrl).origin}/`));
    expect(le.Account.Registration.body.status).toBe('valid');
    expect(le.Account.Registration.body.contact).toEqual(['mailto:ops@example.test']);
    // PKCS#1 DER of an RSA 4096 key, base64: what Traefik's x509.ParsePKCS1PrivateKey reads.
    const accountKey = createPrivateKey({
      key: Buffer.from(le.Account.PrivateKey, 'base64'),
      format: 'der',
      type: 'pkcs1',
    });
    expect(accountKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(le.Certificates).toHaveLength(1);
    const [stored] = le.Certificates;
    expect(stored.domain).toEqual({ main: 'app.example.test', sans: ['www.example.test'] });
    expect(stored.Store).toBe('default');
    expect(Buffer.from(stored.certificate, 'base64').toString()).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(Buffer.from(stored.key, 'base64').toString()).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);

    // A restart: the store forgets what it read, the proxy reads the file again.
    acmeJsonStore(storage).reset();
    const ordersBefore = ca.ordersCreated();
    const proxy = await proxyWithResolver();
    try {
      const resolver = proxy.proxy.acmeResolvers.get('le') as AcmeResolver;
      expect(
        await resolver.ensureDomains([{ main: 'app.example.test', sans: ['www.example.test'] }]),
      ).toEqual([]);
      expect(resolver.certificates.map((c) => c.domain.main)).toEqual(['app.example.test']);
      expect(ca.ordersCreated()).toBe(ordersBefore);
    } finally {
      await proxy.close();
    }
  });

  it('obtains a certificate through TLS-ALPN-01 from a real TLS responder, in the same acme.json', async () => {
    const { logger } = capturingLogger();
    const config = resolverConfig(ca, storage, { tlsChallenge: {} });
    registerCaConnection('certificatesResolvers.alpn.acme', config);
    const resolver = new AcmeResolver({
      resolverName: 'alpn',
      config,
      storage: acmeJsonStore(storage),
      tlsAlpnChallenges: alpnSink,
      logger,
    });
    const emitted: ConfigMessage[] = [];
    const stop = new AbortController();
    await resolver.start((m) => emitted.push(m), stop.signal, logger);
    try {
      const outcomes = await resolver.ensureDomains([{ main: 'secure.example.test' }]);
      expect(outcomes.map((o) => o.error?.message)).toEqual([undefined]);
      expect(alpnServer.validations).toContain(`secure.example.test ${acmeTlsAlpnProtocol}`);
      const leaf = verifyChain(resolver.certificates[0]?.certPem ?? '', await ca.issuingRootPem());
      expect(leaf.subjectAltName).toBe('DNS:secure.example.test');
      // The provider message carries the certificate as Traefik's ACME provider does.
      const last = emitted.at(-1) as ConfigMessage;
      expect(last.provider).toBe('alpn.acme');
      expect(last.documents[0]?.value).toEqual({
        tls: {
          certificates: [
            {
              certFile: resolver.certificates[0]?.certPem,
              keyFile: resolver.certificates[0]?.keyPem,
              stores: ['default'],
            },
          ],
        },
      });
      // Several resolvers share one file; the challenge certificate is gone once validated.
      expect(Object.keys(JSON.parse(readFileSync(storage, 'utf8'))).sort()).toEqual(['alpn', 'le']);
      expect(alpnSink.lookup('secure.example.test')).toBeUndefined();
      // Certificates valid for years are not due for renewal.
      expect(await resolver.checkRenewals()).toEqual([]);
    } finally {
      stop.abort();
    }
  });

  it('renews a certificate that expires soon, in the background, without a restart', async () => {
    const sink = new TlsAlpnChallenges();
    const responder = await startAlpnResponder(sink);
    const shortCa = await pebble({
      httpPort: await freePort(),
      tlsPort: portOf(responder),
      certificateValidityPeriod: 3600,
    });
    const { logger, lines } = capturingLogger();
    const shortStorage = join(dir, 'short.json');
    const config = resolverConfig(shortCa, shortStorage, { tlsChallenge: {} });
    registerCaConnection('certificatesResolvers.short.acme', config);
    const resolver = new AcmeResolver({
      resolverName: 'short',
      config,
      storage: acmeJsonStore(shortStorage),
      tlsAlpnChallenges: sink,
      logger,
      renewCheckIntervalMs: 200,
    });
    const stop = new AbortController();
    try {
      const emitted: ConfigMessage[] = [];
      let onEmit: () => void = () => {};
      await resolver.start(
        (m) => {
          emitted.push(m);
          onEmit();
        },
        stop.signal,
        logger,
      );
      await resolver.ensureDomains([{ main: 'short.example.test' }]);
      const first = new X509Certificate(resolver.certificates[0]?.certPem ?? '');
      // One hour of validity is inside the 30-day renewal period of 2160-hour certificates.
      const renewed = await new Promise<X509Certificate>((resolve) => {
        onEmit = () => {
          const current = new X509Certificate(resolver.certificates[0]?.certPem ?? '');
          if (current.serialNumber !== first.serialNumber) resolve(current);
        };
      });
      expect(renewed.subjectAltName).toBe('DNS:short.example.test');
      expect(shortCa.ordersCreated()).toBeGreaterThanOrEqual(2);
      expect(lines.some((l) => l.includes('renewing an ACME certificate'))).toBe(true);
      const stored = JSON.parse(readFileSync(shortStorage, 'utf8')).short.Certificates;
      expect(stored).toHaveLength(1);
    } finally {
      stop.abort();
      responder.close();
      await shortCa.stop();
    }
  });

  it('reports an ACME server that is down, retries with backoff, and routing keeps serving', async () => {
    const closedPort = await freePort();
    const upstream = await startUpstream();
    const proxy = await startTestProxy({
      static: {
        certificatesResolvers: {
          down: {
            acme: {
              caServer: `https://127.0.0.1:${closedPort}/dir`,
              storage: join(dir, 'down.json'),
              httpChallenge: { entryPoint: 'web' },
            },
          },
        },
      },
      dynamic: {
        http: {
          routers: { app: { rule: 'Host(`app.test`)', service: 'app' } },
          services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
        },
      },
    });
    try {
      const { logger, lines } = capturingLogger();
      const config = acmeSchema.parse({
        caServer: `https://127.0.0.1:${closedPort}/dir`,
        storage: join(dir, 'down.json'),
        httpChallenge: { entryPoint: 'web' },
      });
      const resolver = new AcmeResolver({
        resolverName: 'down',
        config,
        storage: acmeJsonStore(join(dir, 'down.json')),
        logger,
        retry: { initialMs: 50, maxMs: 100 },
      });
      const [outcome] = await resolver.ensureDomains([{ main: 'down.example.test' }]);
      expect(outcome?.error?.code).toBe('AFF_ERR_ACME_CA_UNREACHABLE');
      expect(outcome?.error?.message).toMatch(
        /resolver "down" cannot reach the ACME server .*ECONNREFUSED.*down\.example\.test/,
      );
      const failure = JSON.parse(lines.find((l) => l.includes('AFF_ERR_ACME_CA_UNREACHABLE')) ?? '{}');
      expect(failure).toMatchObject({
        resolver: 'down',
        domains: ['down.example.test'],
        code: 'AFF_ERR_ACME_CA_UNREACHABLE',
      });
      expect(failure.acmeError).toMatch(/ECONNREFUSED/);
      // The retry comes by itself, and is logged as the second attempt.
      await expect.poll(() => lines.some((l) => l.includes('"attempt":2'))).toBe(true);
      resolver.stop();
      // A pending retry holds the name: asking again orders nothing until the retry, unless no
      // router asks for the name any more, which drops the retry.
      const patient = new AcmeResolver({
        resolverName: 'down',
        config,
        storage: acmeJsonStore(join(dir, 'down.json')),
        logger,
        retry: { initialMs: 600_000, maxMs: 600_000 },
      });
      const wanted = [{ main: 'gone.example.test' }];
      expect((await patient.ensureDomains(wanted))[0]?.error?.code).toBe('AFF_ERR_ACME_CA_UNREACHABLE');
      expect(await patient.ensureDomains(wanted)).toEqual([]);
      patient.dropRetriesExcept(wanted);
      expect(await patient.ensureDomains(wanted)).toEqual([]);
      patient.dropRetriesExcept([]);
      expect(lines.some((l) => l.includes('their order is not retried'))).toBe(true);
      expect((await patient.ensureDomains(wanted)).map((o) => o.error?.code)).toEqual([
        'AFF_ERR_ACME_CA_UNREACHABLE',
      ]);
      patient.stop();
      // Meanwhile the proxy, with its own unreachable resolver, routes as before.
      const response = await nodeGet(`${proxy.url()}/`, { host: 'app.test' });
      expect(response.status).toBe(200);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('registers with External Account Binding when the CA requires it, and says so when it is missing', async () => {
    const hmac = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';
    const sink = new TlsAlpnChallenges();
    const responder = await startAlpnResponder(sink);
    const eabCa = await pebble({
      httpPort: await freePort(),
      tlsPort: portOf(responder),
      externalAccountMACKeys: { 'kid-1': hmac },
    });
    try {
      const resolverFor = (name: string, extra: Record<string, unknown>) => {
        const config = resolverConfig(eabCa, join(dir, `${name}.json`), { tlsChallenge: {}, ...extra });
        registerCaConnection(`certificatesResolvers.${name}.acme`, config);
        return new AcmeResolver({
          resolverName: name,
          config,
          storage: acmeJsonStore(join(dir, `${name}.json`)),
          tlsAlpnChallenges: sink,
          logger: capturingLogger().logger,
          retry: { initialMs: 60_000, maxMs: 60_000 },
        });
      };
      const without = resolverFor('noeab', {});
      const [refused] = await without.ensureDomains([{ main: 'eab.example.test' }]);
      without.stop();
      expect(refused?.error?.code).toBe('AFF_ERR_ACME_ORDER_FAILED');
      expect(refused?.error?.message).toMatch(
        /resolver "noeab" could not register an ACME account .* for eab\.example\.test: .*externalAccountBinding.*eab\.kid and eab\.hmacEncoded/,
      );
      const withEab = resolverFor('eab', { eab: { kid: 'kid-1', hmacEncoded: hmac } });
      const [obtained] = await withEab.ensureDomains([{ main: 'eab.example.test' }]);
      withEab.stop();
      expect(obtained?.error).toBeUndefined();
      expect(responder.validations).toContain(`eab.example.test ${acmeTlsAlpnProtocol}`);
    } finally {
      responder.close();
      await eabCa.stop();
    }
  });

  it('orders nothing over an acme.json it cannot read, and leaves the file as it was', async () => {
    const path = join(dir, 'open.json');
    writeFileSync(path, '{"open": {"Account": null, "Certificates": []}}');
    chmodSync(path, 0o644);
    const { logger, lines } = capturingLogger();
    const config = resolverConfig(ca, path, { tlsChallenge: {} });
    const resolver = new AcmeResolver({
      resolverName: 'open',
      config,
      storage: acmeJsonStore(path),
      tlsAlpnChallenges: alpnSink,
      logger,
    });
    const ordersBefore = ca.ordersCreated();
    const [outcome] = await resolver.ensureDomains([{ main: 'open.example.test' }]);
    expect(outcome?.error?.code).toBe('AFF_ERR_ACME_STORAGE');
    expect(lines.join('')).toMatch(/permissions 644 are too open/);
    expect(ca.ordersCreated()).toBe(ordersBefore);
    expect(readFileSync(path, 'utf8')).toBe('{"open": {"Account": null, "Certificates": []}}');
  });

  it('follows preferredChain to the alternate chain, with RSA keys, and reuses its account after a restart', async () => {
    const sink = new TlsAlpnChallenges();
    const responder = await startAlpnResponder(sink);
    const chainCa = await pebble({
      httpPort: await freePort(),
      tlsPort: portOf(responder),
      alternateRoots: 1,
    });
    const chainStorage = join(dir, 'chain.json');
    const alternateRoot = await chainCa.issuingRootPem(1);
    const alternateName = /CN=([^\n]+)/.exec(new X509Certificate(alternateRoot).subject)?.[1] ?? '';
    expect(alternateName).toMatch(/^Pebble Root CA /);
    const start = () => {
      const config = resolverConfig(chainCa, chainStorage, {
        tlsChallenge: {},
        keyType: 'RSA2048',
        preferredChain: alternateName,
      });
      registerCaConnection('certificatesResolvers.chain.acme', config);
      return new AcmeResolver({
        resolverName: 'chain',
        config,
        storage: acmeJsonStore(chainStorage),
        tlsAlpnChallenges: sink,
        logger: capturingLogger().logger,
      });
    };
    const accounts = () => chainCa.log().match(/POST \/sign-me-up/g)?.length ?? 0;
    try {
      const first = start();
      expect((await first.ensureDomains([{ main: 'chain.example.test' }]))[0]?.error).toBeUndefined();
      const held = first.certificates[0];
      // Signed all the way up to the alternate root, not the default one.
      verifyChain(held?.certPem ?? '', alternateRoot);
      expect(held?.keyPem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
      expect(createPrivateKey(held?.keyPem ?? '').asymmetricKeyDetails?.modulusLength).toBe(2048);
      const accountsAfterFirst = accounts();
      // A restart orders a new name with the account from acme.json: no new registration.
      acmeJsonStore(chainStorage).reset();
      const second = start();
      expect((await second.ensureDomains([{ main: 'other.example.test' }]))[0]?.error).toBeUndefined();
      expect(accounts()).toBe(accountsAfterFirst);
      const stored = JSON.parse(readFileSync(chainStorage, 'utf8')).chain;
      expect(stored.Account.KeyType).toBe('2048');
      expect(stored.Certificates.map((c: { domain: { main: string } }) => c.domain.main)).toEqual([
        'chain.example.test',
        'other.example.test',
      ]);
    } finally {
      responder.close();
      await chainCa.stop();
    }
  });
});
