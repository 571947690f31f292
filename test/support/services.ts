/**
 * Real services for test suites, never mocks. Each getter finds a running instance or starts a
 * private one on a free port, and stops what it started when the test process exits.
 * The programs themselves are installed by scripts/ensure-test-services.sh (npm's pretest).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AffineurError } from '../../src/errors/affineur-error.js';

const started: { child: ChildProcess; dir?: string }[] = [];
process.on('exit', () => {
  for (const { child, dir } of started) {
    child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
});

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Sends one inline Redis command over raw TCP; enough to probe without a client library. */
function redisPing(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, child: ChildProcess, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AffineurError('AFF_ERR_SERVICE_UNAVAILABLE', `${what} did not become ready.`, {
    hint: 'Run `bash scripts/ensure-test-services.sh` and check that the program starts by hand.',
  });
}

/**
 * Starts `command` under a watchdog shell that stops it (SIGTERM) once this test process is
 * gone, however it ended: Vitest ends its workers without an 'exit' event, so a server started
 * from a worker would otherwise outlive the run. The shell then runs `cleanup` (a shell line).
 */
function superviseWhileAlive(
  command: string,
  args: readonly string[],
  log: string,
  cleanup: string,
): ChildProcess {
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const script = [
    `${quote(command)} ${args.map(quote).join(' ')} >${quote(log)} 2>&1 &`,
    'child=$!',
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 0.5; done`,
    'kill -TERM $child 2>/dev/null; wait $child',
    cleanup,
  ].join('\n');
  const shell = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  shell.unref();
  return shell;
}

let redis: Promise<string> | undefined;

/** A Redis URL: `REDIS_URL`, else a server on 127.0.0.1:6379, else a private `redis-server`. */
export function redisUrl(): Promise<string> {
  redis ??= (async () => {
    if (process.env.REDIS_URL) return process.env.REDIS_URL;
    if (await redisPing('127.0.0.1', 6379)) return 'redis://127.0.0.1:6379';
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    started.push({ child });
    await waitFor('redis-server', () => redisPing('127.0.0.1', port), child);
    return `redis://127.0.0.1:${port}`;
  })();
  return redis;
}

let etcd: Promise<string> | undefined;

/** An etcd client endpoint: `ETCD_ENDPOINT`, else a private single-member `etcd` on free ports. */
export function etcdEndpoint(): Promise<string> {
  etcd ??= (async () => {
    if (process.env.ETCD_ENDPOINT) return process.env.ETCD_ENDPOINT;
    const [clientPort, peerPort] = [await freePort(), await freePort()];
    const dir = mkdtempSync(join(tmpdir(), 'affineur-etcd-'));
    const client = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    const dataDir = join(dir, 'data');
    const child = superviseWhileAlive(
      'etcd',
      [
        '--name=affineur-test',
        `--data-dir=${dataDir}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=affineur-test=${peer}`,
        '--log-level=error',
      ],
      join(dir, 'etcd.log'),
      `rm -rf '${dir}'`,
    );
    await waitFor(
      'etcd',
      async () => {
        try {
          return (await fetch(`${client}/health`)).ok;
        } catch {
          return false;
        }
      },
      child,
    );
    return client;
  })();
  return etcd;
}

export interface Pebble {
  /** The ACME directory URL. */
  directoryUrl: string;
  /** Pebble's management interface (roots, cert status), served over the same test HTTPS. */
  managementUrl: string;
  /** A file with the CA of pebble's own HTTPS certificate: give it to `caCertificates`. */
  httpsCaFile: string;
  /** The same CA, PEM. */
  httpsCaPem: string;
  /** A root that issues certificates (regenerated at each pebble start); 0 is the default chain's. */
  issuingRootPem(index?: number): Promise<string>;
  /** Orders pebble has created so far, counted from its own log ("Added order ..."). */
  ordersCreated(): number;
  /** Everything pebble logged, for failing tests. */
  log(): string;
  stop(): Promise<void>;
}

export interface PebbleOptions {
  /** Where pebble validates HTTP-01: the port of the proxy's HTTP entryPoint. */
  httpPort: number;
  /** Where pebble validates TLS-ALPN-01. */
  tlsPort: number;
  /** Lifetime of issued certificates, in seconds (pebble's `certificateValidityPeriod`). */
  certificateValidityPeriod?: number;
  /** When set, accounts need External Account Binding with one of these kid -> HMAC keys. */
  externalAccountMACKeys?: Record<string, string>;
  /** Alternate chains offered next to the default one (PEBBLE_ALTERNATE_ROOTS), for preferredChain. */
  alternateRoots?: number;
}

/** Whether anything answers HTTP there (pebble-challtestsrv's management answers 404 on `/`). */
function httpAnswers(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    httpGet(url, (res) => {
      res.resume();
      resolve(true);
    }).once('error', () => resolve(false));
  });
}

/** Runs `openssl` for the test CA pebble's HTTPS listener needs; pebble ships no usable one. */
function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: 'pipe' });
}

/**
 * A private pebble (RFC 8555 test CA) with pebble-challtestsrv as its DNS, both on free ports.
 * Every name resolves to 127.0.0.1, so pebble's validations really connect to `httpPort` and
 * `tlsPort` on this machine. Challenges are really validated: PEBBLE_VA_ALWAYS_VALID is never set.
 */
export async function pebble(options: PebbleOptions): Promise<Pebble> {
  const dir = mkdtempSync(join(tmpdir(), 'affineur-pebble-'));
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
  openssl(
    [
      'req',
      '-x509',
      '-new',
      '-key',
      'ca.key',
      '-subj',
      '/CN=affineur test pebble CA',
      '-days',
      '2',
      '-out',
      'ca.pem',
    ],
    dir,
  );
  openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'server.key'], dir);
  openssl(['req', '-new', '-key', 'server.key', '-subj', '/CN=localhost', '-out', 'server.csr'], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      'san.ext',
      '-out',
      'server.pem',
    ],
    dir,
  );
  const httpsCaPem = readFileSync(join(dir, 'ca.pem'), 'utf8');
  const agent = new HttpsAgent({ ca: httpsCaPem });
  const get = (url: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      httpsGet(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).once('error', reject);
    });
  const stop = async (which: ChildProcess) => {
    if (which.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      which.once('exit', () => resolve());
      which.kill('SIGTERM');
    });
  };
  let output = '';
  // Free ports are picked before pebble binds them; on a busy machine another process may take
  // one in between, so a start that fails is tried again on new ports.
  const launch = async () => {
    const [acmePort, managementPort, dnsPort, challManagementPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    writeFileSync(
      join(dir, 'pebble-config.json'),
      JSON.stringify({
        pebble: {
          listenAddress: `127.0.0.1:${acmePort}`,
          managementListenAddress: `127.0.0.1:${managementPort}`,
          certificate: join(dir, 'server.pem'),
          privateKey: join(dir, 'server.key'),
          httpPort: options.httpPort,
          tlsPort: options.tlsPort,
          ocspResponderURL: '',
          externalAccountBindingRequired: options.externalAccountMACKeys !== undefined,
          ...(options.externalAccountMACKeys
            ? { externalAccountMACKeys: options.externalAccountMACKeys }
            : {}),
          ...(options.certificateValidityPeriod
            ? { certificateValidityPeriod: options.certificateValidityPeriod }
            : {}),
        },
      }),
    );
    const dns = spawn(
      'pebble-challtestsrv',
      [
        '-defaultIPv4',
        '127.0.0.1',
        '-defaultIPv6',
        '',
        '-dns01',
        `127.0.0.1:${dnsPort}`,
        '-management',
        `127.0.0.1:${challManagementPort}`,
        '-http01',
        '',
        '-https01',
        '',
        '-tlsalpn01',
        '',
      ],
      { stdio: 'ignore' },
    );
    started.push({ child: dns });
    const child = spawn(
      'pebble',
      ['-config', join(dir, 'pebble-config.json'), '-dnsserver', `127.0.0.1:${dnsPort}`],
      {
        env: {
          ...process.env,
          PEBBLE_VA_NOSLEEP: '1',
          PEBBLE_WFE_NONCEREJECT: '0',
          PEBBLE_AUTHZREUSE: '0',
          ...(options.alternateRoots ? { PEBBLE_ALTERNATE_ROOTS: String(options.alternateRoots) } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.push({ child, dir });
    const directoryUrl = `https://localhost:${acmePort}/dir`;
    const managementUrl = `https://localhost:${managementPort}`;
    try {
      await waitFor(
        'pebble',
        async () => {
          try {
            return (
              dns.exitCode === null &&
              (await httpAnswers(`http://127.0.0.1:${challManagementPort}/`)) &&
              (await get(directoryUrl)).status === 200 &&
              (await get(`${managementUrl}/roots/0`)).status === 200
            );
          } catch {
            return false;
          }
        },
        child,
      );
    } catch (error) {
      await Promise.all([stop(child), stop(dns)]);
      output = '';
      throw error;
    }
    return { child, dns, directoryUrl, managementUrl };
  };
  let launched: Awaited<ReturnType<typeof launch>> | undefined;
  for (let attempt = 1; !launched; attempt++) {
    try {
      launched = await launch();
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  const { child, dns, directoryUrl, managementUrl } = launched;
  return {
    directoryUrl,
    managementUrl,
    httpsCaFile: join(dir, 'ca.pem'),
    httpsCaPem,
    issuingRootPem: async (index = 0) => (await get(`${managementUrl}/roots/${index}`)).body,
    ordersCreated: () => output.match(/Added order /g)?.length ?? 0,
    log: () => output,
    stop: async () => {
      agent.destroy();
      await Promise.all([stop(child), stop(dns)]);
    },
  };
}

/** Answers when a Docker Engine listens on this unix socket (GET /_ping → OK). */
function dockerPing(socketPath: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ path: socketPath });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(/^HTTP\/1\.[01] 200/.test(data.toString())));
    socket.once('connect', () =>
      socket.write('GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n'),
    );
  });
}

let dockerEngineStarted: Promise<string> | undefined;

/**
 * A Docker Engine endpoint (`unix://...`): `DOCKER_TEST_ENDPOINT`, else the system daemon if
 * /var/run/docker.sock answers, else a private `dockerd` with its own data root and socket in a
 * temp dir. It runs without iptables or a bridge (as these machines allow): tests run their
 * containers with `--network host`.
 */
export function dockerEngine(): Promise<string> {
  dockerEngineStarted ??= (async () => {
    if (process.env.DOCKER_TEST_ENDPOINT) return process.env.DOCKER_TEST_ENDPOINT;
    if (await dockerPing('/var/run/docker.sock')) return 'unix:///var/run/docker.sock';
    const dir = mkdtempSync(join(tmpdir(), 'affineur-dockerd-'));
    const socketPath = join(dir, 'docker.sock');
    const args = [
      '--iptables=false',
      '--ip6tables=false',
      '--bridge=none',
      `--data-root=${join(dir, 'data')}`,
      `--exec-root=${join(dir, 'exec')}`,
      `--pidfile=${join(dir, 'dockerd.pid')}`,
      `--host=unix://${socketPath}`,
    ];
    // Under the watchdog, dockerd stops with SIGTERM (which stops its containers; SIGKILL would
    // leave them running), and its data root goes once dockerd has released its mounts (it
    // leaves its network namespace, and sometimes its data root, mounted).
    const child = superviseWhileAlive(
      'dockerd',
      args,
      join(dir, 'dockerd.log'),
      `umount '${join(dir, 'exec', 'netns', 'default')}' '${join(dir, 'data')}' 2>/dev/null; rm -rf '${dir}'`,
    );
    await waitFor('dockerd', () => dockerPing(socketPath), child, 60_000);
    return `unix://${socketPath}`;
  })();
  return dockerEngineStarted;
}
