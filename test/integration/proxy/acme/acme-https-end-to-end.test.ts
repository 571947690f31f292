/**
 * ACME as a user runs it: an install configuration file (YAML, loaded as `affineur proxy
 * --configFile` loads it) with `web` and `websecure` entryPoints and two resolvers, a dynamic
 * file with routers naming them in `tls.certResolver`, and a real pebble validating HTTP-01 on
 * `web` and TLS-ALPN-01 on `websecure` itself. Real TLS clients then check what the next
 * handshake serves: the name, the chain up to pebble's root, and a request reaching the upstream.
 */
import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect, type PeerCertificate } from 'node:tls';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { acmeJsonStore } from '../../../../proxy/acme/acme-json-store.js';
import { type RunningProxy, startProxy } from '../../../../proxy/proxy-app.js';
import { loadProxyInstallConfig } from '../../../../proxy/proxy-command.js';
import { freePort, type Pebble, pebble } from '../../../support/services.js';
import { nodeGet, startUpstream, type Upstream } from '../support/harness.js';
import { httpsGet } from '../support/tls-client.js';

/** What a TLS client that trusts only `ca` saw on one handshake to `servername`. */
interface Served {
  authorized: boolean;
  authorizationError?: string;
  names: string[];
  issuer?: string;
  /** The chain as sent, leaf first, PEM. */
  chain: string[];
}

function served(port: number, servername: string, ca: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    // rejectUnauthorized false so an untrusted certificate is reported rather than thrown.
    const socket = connect({ host: '127.0.0.1', port, servername, ca, rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const chain: string[] = [];
      let cert: PeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push(new X509Certificate(cert.raw).toString());
        cert = (cert as PeerCertificate & { issuerCertificate?: PeerCertificate }).issuerCertificate;
      }
      const leaf = socket.getPeerCertificate();
      resolve({
        authorized: socket.authorized,
        ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
        names: (leaf.subjectaltname ?? '')
          .split(', ')
          .filter((n) => n.startsWith('DNS:'))
          .map((n) => n.slice(4)),
        issuer: leaf.issuer?.CN as string | undefined,
        chain,
      });
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

/**
 * Handshakes until one is served a certificate for `name`; the test's timeout is the patience.
 * A failed order for the name ends the wait at once, with the resolver's own error.
 */
async function servedFor(port: number, name: string, ca: string, logs: readonly string[]): Promise<Served> {
  for (;;) {
    const result = await served(port, name, ca);
    if (result.names.includes(name)) return result;
    const failure = logs.find((line) => line.includes('AFF_ERR_ACME') && line.includes(`"${name}"`));
    if (failure) throw new Error(`no certificate for ${name}: ${failure}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Each certificate of the served chain is signed by the next, the last by pebble's root. */
function expectChainTo(chain: string[], rootPem: string): void {
  const certificates = [...chain, rootPem].map((pem) => new X509Certificate(pem));
  expect(certificates.length).toBeGreaterThanOrEqual(3);
  for (let i = 0; i + 1 < certificates.length; i++) {
    expect(
      (certificates[i] as X509Certificate).verify((certificates[i + 1] as X509Certificate).publicKey),
    ).toBe(true);
  }
}

interface Started {
  proxy: RunningProxy;
  logs: string[];
  /** Resolves with the first log line (past or future) that matches. */
  logged(pattern: RegExp): Promise<string>;
}

async function startFromFiles(configFile: string, cwd: string): Promise<Started> {
  const loaded = await loadProxyInstallConfig([`--configFile=${configFile}`], { env: {}, cwd });
  const logs: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const line = chunk.toString();
      logs.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
      callback();
    },
  });
  const proxy = await startProxy(loaded.config, {
    logger: pino({ level: 'info' }, sink),
    configFile: loaded.source.kind === 'file' ? loaded.source.file : undefined,
  });
  return {
    proxy,
    logs,
    logged: (pattern) => {
      const past = logs.find((line) => pattern.test(line));
      if (past) return Promise.resolve(past);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

/** Replaces a file at once, so the file provider never reads half of it. */
function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe('ACME through the real HTTP and TLS entryPoints, configured from files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-acme-e2e-'));
  const dynamicDir = join(dir, 'dynamic');
  const configFile = join(dir, 'affineur.yml');
  const storage = join(dir, 'acme.json');
  const accessLog = join(dir, 'access.log');
  let webPort: number;
  let websecurePort: number;
  let ca: Pebble;
  let root: string;
  let upstream: Upstream;
  let running: Started | undefined;

  function installConfig(caServer: string, storageFile: string): string {
    return stringify({
      entryPoints: {
        web: { address: `127.0.0.1:${webPort}` },
        websecure: { address: `127.0.0.1:${websecurePort}` },
      },
      accessLog: { filePath: accessLog, format: 'json', addInternals: true },
      providers: {
        providersThrottleDuration: '0s',
        file: { directory: dynamicDir, watch: true },
      },
      certificatesResolvers: {
        'le-http': {
          acme: {
            email: 'ops@example.test',
            caServer,
            storage: storageFile,
            keyType: 'EC256',
            caCertificates: [ca.httpsCaFile],
            httpChallenge: { entryPoint: 'web' },
          },
        },
        'le-tls': {
          acme: {
            email: 'ops@example.test',
            caServer,
            storage: storageFile,
            keyType: 'EC256',
            caCertificates: [ca.httpsCaFile],
            tlsChallenge: {},
          },
        },
      },
    });
  }

  /** Routers on websecure, each with its resolver, and one plain HTTP router on web. */
  function routing(secureRouters: Record<string, { host: string; resolver: string }>) {
    return {
      http: {
        routers: {
          plain: { rule: 'Host(`plain.example.test`)', entryPoints: ['web'], service: 'app' },
          ...Object.fromEntries(
            Object.entries(secureRouters).map(([name, { host, resolver }]) => [
              name,
              {
                rule: `Host(\`${host}\`)`,
                entryPoints: ['websecure'],
                service: 'app',
                tls: { certResolver: resolver },
              },
            ]),
          ),
        },
        services: { app: { loadBalancer: { servers: [{ url: upstream.url }] } } },
      },
    };
  }

  function accessLogEntries(): Record<string, unknown>[] {
    return readFileSync(accessLog, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  beforeAll(async () => {
    mkdirSync(dynamicDir);
    upstream = await startUpstream();
    webPort = await freePort();
    websecurePort = await freePort();
    // pebble validates HTTP-01 on web's port and TLS-ALPN-01 on websecure's: the proxy's own.
    ca = await pebble({ httpPort: webPort, tlsPort: websecurePort });
    root = await ca.issuingRootPem();
    writeFileSync(configFile, installConfig(ca.directoryUrl, storage));
  });

  afterAll(async () => {
    await running?.proxy.stop();
    await ca?.stop();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a certificate obtained through HTTP-01 on the next handshake, and HTTPS reaches the upstream', async () => {
    writeFileSync(
      join(dynamicDir, 'routing.yml'),
      stringify(routing({ app: { host: 'app.example.test', resolver: 'le-http' } })),
    );
    const ordersBefore = ca.ordersCreated();
    running = await startFromFiles(configFile, dir);
    const result = await servedFor(websecurePort, 'app.example.test', root, running.logs);
    expect(result).toMatchObject({ authorized: true, names: ['app.example.test'] });
    expectChainTo(result.chain, root);
    expect(ca.ordersCreated()).toBe(ordersBefore + 1);
    // pebble fetched the key authorization from the web entryPoint, answered by acme-http@internal.
    expect(accessLogEntries().filter((e) => e.RouterName === 'acme-http@internal')).toContainEqual(
      expect.objectContaining({
        RequestHost: 'app.example.test',
        DownstreamStatus: 200,
        entryPointName: 'web',
      }),
    );

    const before = upstream.requests.length;
    const response = await httpsGet(websecurePort, 'app.example.test', '/hello', {
      ca: root,
      rejectUnauthorized: true,
    });
    expect(response.status).toBe(200);
    expect(response.headers['x-upstream']).toBe('echo');
    expect(JSON.parse(response.body)).toMatchObject({ url: '/hello', headers: { host: 'app.example.test' } });
    expect(upstream.requests.length).toBe(before + 1);
  });

  it('validates TLS-ALPN-01 on the websecure entryPoint itself, for a router added live', async () => {
    const proxy = running as Started;
    const ordersBefore = ca.ordersCreated();
    writeAtomically(
      join(dynamicDir, 'routing.yml'),
      stringify(
        routing({
          app: { host: 'app.example.test', resolver: 'le-http' },
          secure: { host: 'secure.example.test', resolver: 'le-tls' },
        }),
      ),
    );
    const result = await servedFor(websecurePort, 'secure.example.test', root, proxy.logs);
    expect(result).toMatchObject({ authorized: true, names: ['secure.example.test'] });
    expectChainTo(result.chain, root);
    expect(ca.ordersCreated()).toBe(ordersBefore + 1);
    // Only websecure listens on pebble's tlsPort, and nothing was asked over HTTP-01.
    expect(accessLogEntries().filter((e) => e.RequestHost === 'secure.example.test')).toEqual([]);
    await proxy.logged(/"resolver":"le-tls".*ACME certificate obtained/);
    // The challenge certificate was only for the validation: it is gone from the registry.
    expect(proxy.proxy.tlsAlpnChallenges.lookup('secure.example.test')).toBeUndefined();
    // Both names are served side by side, each with its own certificate.
    expect((await served(websecurePort, 'app.example.test', root)).names).toEqual(['app.example.test']);
    const response = await httpsGet(websecurePort, 'secure.example.test', '/', {
      ca: root,
      rejectUnauthorized: true,
    });
    expect(response.status).toBe(200);
  });

  it('writes acme.json in Traefik format, and a restart serves from it at once with no new order', async () => {
    const first = running as Started;
    await first.logged(/"resolver":"le-http".*ACME certificate obtained/);
    await first.proxy.stop();
    running = undefined;

    expect(statSync(storage).mode & 0o777).toBe(0o600);
    const file = JSON.parse(readFileSync(storage, 'utf8'));
    expect(Object.keys(file).sort()).toEqual(['le-http', 'le-tls']);
    for (const [name, main] of [
      ['le-http', 'app.example.test'],
      ['le-tls', 'secure.example.test'],
    ] as const) {
      expect(file[name].Account.Email).toBe('ops@example.test');
      expect(file[name].Certificates).toEqual([
        { domain: { main }, certificate: expect.any(String), key: expect.any(String), Store: 'default' },
      ]);
    }

    // A new process would read the file afresh: the store forgets what this one read.
    acmeJsonStore(storage).reset();
    const ordersBefore = ca.ordersCreated();
    running = await startFromFiles(configFile, dir);
    // The resolvers' certificates are part of the first routing applied after the providers start.
    const app = await served(websecurePort, 'app.example.test', root);
    const secure = await served(websecurePort, 'secure.example.test', root);
    expect(app).toMatchObject({ authorized: true, names: ['app.example.test'] });
    expect(secure).toMatchObject({ authorized: true, names: ['secure.example.test'] });
    const response = await httpsGet(websecurePort, 'app.example.test', '/', {
      ca: root,
      rejectUnauthorized: true,
    });
    expect(response.status).toBe(200);
    expect(ca.ordersCreated()).toBe(ordersBefore);
    expect(running.logs.join('')).not.toMatch(/ordering an ACME certificate/);
  });

  it('keeps serving HTTP routes and the default certificate when the ACME server is down, and says why', async () => {
    await running?.proxy.stop();
    running = undefined;
    const closedPort = await freePort();
    const downDir = join(dir, 'down');
    mkdirSync(downDir);
    const downConfig = join(downDir, 'affineur.yml');
    writeFileSync(
      downConfig,
      installConfig(`https://127.0.0.1:${closedPort}/dir`, join(downDir, 'acme.json')),
    );
    writeFileSync(
      join(dynamicDir, 'routing.yml'),
      stringify(routing({ down: { host: 'down.example.test', resolver: 'le-http' } })),
    );
    running = await startFromFiles(downConfig, downDir);
    const failure = JSON.parse(await running.logged(/AFF_ERR_ACME_CA_UNREACHABLE/));
    expect(failure).toMatchObject({
      resolver: 'le-http',
      domains: ['down.example.test'],
      code: 'AFF_ERR_ACME_CA_UNREACHABLE',
    });
    expect(failure.msg).toMatch(
      /certificatesResolvers\.le-http\.acme\.caServer: resolver "le-http" cannot reach the ACME server .*down\.example\.test/,
    );
    expect(failure.acmeError).toMatch(/ECONNREFUSED/);

    // Plain HTTP routing is untouched.
    const plain = await nodeGet(`http://127.0.0.1:${webPort}/`, { host: 'plain.example.test' });
    expect(plain.status).toBe(200);
    // The TLS router answers with the default certificate, as Traefik does without its certificate.
    const fallback = await served(websecurePort, 'down.example.test', root);
    expect(fallback.authorized).toBe(false);
    expect(fallback.names).not.toContain('down.example.test');
    expect(new X509Certificate(fallback.chain[0] as string).subject).toMatch(/TRAEFIK DEFAULT CERT/);
    const response = await httpsGet(websecurePort, 'down.example.test', '/');
    expect(response.status).toBe(200);
    // Nothing was obtained, so nothing was written over.
    expect(existsSync(join(downDir, 'acme.json'))).toBe(false);
  });
});
