/**
 * HTTPS benchmark, in one run on the same keys: affineur, @fastify/http-proxy behind Node's https
 * server, and nginx (1 worker), each in front of one plain HTTP upstream. Measures HTTPS req/s on
 * kept-alive connections (wrk), new TLS handshakes per second with ECDSA P-256 and RSA 2048
 * certificates (wrk with `Connection: close`: one full handshake per request), HTTP/2 req/s
 * (h2load, if installed), and affineur with 10,000 certificates against one. Contenders run
 * pinned to a core of their own (see bench/support/cpu-pinning.ts), so ratios are per core.
 * Run: `npx tsx bench/proxy-tls/run.ts [--duration=3] [--rounds=2] [--connections=50] [--no-pin]
 * [--only=handshakes|keep-alive]`.
 * Needs wrk, nginx and openssl (Debian `wrk`, `nginx-light`), h2load optional (`nghttp2-client`).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { freePort, median, parseWrk } from '../support/bench-kit.js';
import { choosePinning, onContenderCores, processTreeCpuMs } from '../support/cpu-pinning.js';
import { writeNginxConfig } from '../support/nginx-config.js';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=') as [string, string]),
);
const duration = Number(args.duration ?? 3);
const rounds = Number(args.rounds ?? 2);
const connections = Number(args.connections ?? 50);
const pinning = choosePinning(!('no-pin' in args));
const root = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'affineur-bench-tls-'));
const children: ChildProcess[] = [];

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

process.on('exit', () => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

interface Target {
  url: string;
  pid: number;
}

interface Result {
  rps: number;
  cpuUs: number;
  errors: number;
}

function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A self-signed certificate for 127.0.0.1 and bench.test, made by openssl. */
function makeCertificate(kind: 'ec' | 'rsa', name = kind): { certFile: string; keyFile: string } {
  const certFile = join(work, `${name}.crt`);
  const keyFile = join(work, `${name}.key`);
  const key =
    kind === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'] : ['-newkey', 'rsa:2048'];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      ...key,
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      '/CN=bench.test',
      '-addext',
      'subjectAltName=DNS:bench.test,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { certFile, keyFile };
}

async function waitForTls(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      execFileSync('curl', ['-sk', '-o', '/dev/null', '--fail', url], { stdio: 'ignore' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`${url} never answered`);
}

function startChild(command: string, argv: string[], contender: boolean, ipc = false): ChildProcess {
  const [cmd, cmdArgs] = contender ? onContenderCores(pinning, command, argv) : [command, argv];
  const child = spawn(cmd, cmdArgs, {
    stdio: ['ignore', 'ignore', 'inherit', ...(ipc ? ['ipc' as const] : [])],
  });
  children.push(child);
  return child;
}

async function startNodePeer(script: string, contender: boolean, ...argv: string[]): Promise<number> {
  const child = startChild(process.execPath, [script, ...argv], contender, true);
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child.pid as number;
}

/** affineur with one HTTPS router; `certificates` PEM files (or inline PEM) in its store. */
async function startAffineur(
  upstream: string,
  certificatesYaml: string,
  defaultCert: { certFile: string; keyFile: string },
): Promise<Target> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'dyn-'));
  writeFileSync(
    join(dir, 'routing.yml'),
    `http:
  routers:
    main:
      rule: PathPrefix(\`/\`)
      service: app
      tls: {}
  services:
    app:
      loadBalancer:
        servers:
          - url: ${upstream}
tls:
  stores:
    default:
      defaultCertificate:
        certFile: ${defaultCert.certFile}
        keyFile: ${defaultCert.keyFile}
${certificatesYaml}`,
  );
  const child = startChild(
    process.execPath,
    [
      join(root, 'bin/affineur.js'),
      'proxy',
      `--entryPoints.web.address=127.0.0.1:${port}`,
      `--providers.file.directory=${dir}`,
      '--providers.providersThrottleDuration=0',
      '--log.level=ERROR',
    ],
    true,
  );
  const url = `https://127.0.0.1:${port}/`;
  await waitForTls(url);
  return { url, pid: child.pid as number };
}

async function startNginx(
  upstreamPort: number,
  cert: { certFile: string; keyFile: string },
): Promise<Target> {
  const port = await freePort();
  const dir = mkdtempSync(join(work, 'nginx-'));
  const config = writeNginxConfig(dir, upstreamPort, [
    `listen 127.0.0.1:${port} ssl http2;`,
    `ssl_certificate ${cert.certFile};`,
    `ssl_certificate_key ${cert.keyFile};`,
    'ssl_protocols TLSv1.2 TLSv1.3;',
    '# Like affineur (and Traefik): TLS 1.3 session tickets are issued; wrk never resumes.',
    'ssl_session_cache off;',
    'ssl_session_tickets on;',
  ]);
  const child = startChild('nginx', ['-c', config, '-p', dir], true);
  const url = `https://127.0.0.1:${port}/`;
  await waitForTls(url);
  return { url, pid: child.pid as number };
}

function wrk(target: Target, seconds: number, close: boolean): Result {
  const before = processTreeCpuMs(target.pid);
  const out = execFileSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, ...(close ? ['-H', 'Connection: close'] : []), target.url],
    { encoding: 'utf8' },
  );
  const result = parseWrk(out);
  const cpuMs = processTreeCpuMs(target.pid) - before;
  return { rps: result.rps, cpuUs: (cpuMs * 1000) / Math.max(result.requests, 1), errors: result.errors };
}

function h2load(target: Target, seconds: number): Result {
  const before = processTreeCpuMs(target.pid);
  const out = execFileSync('h2load', ['-D', String(seconds), '-c', '10', '-m', '10', '-t', '1', target.url], {
    encoding: 'utf8',
  });
  const rps = Number(/finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out)?.[1] ?? Number.NaN);
  const done = Number(/requests: \d+ total, \d+ started, (\d+) done/.exec(out)?.[1] ?? 0);
  const succeeded = Number(/(\d+) succeeded/.exec(out)?.[1] ?? 0);
  const cpuMs = processTreeCpuMs(target.pid) - before;
  return { rps, cpuUs: (cpuMs * 1000) / Math.max(done, 1), errors: done - succeeded };
}

/** Interleaved rounds over the targets; the median of each. */
function compare(targets: Record<string, Target>, run: (t: Target) => Result): Record<string, Result> {
  const runs: Record<string, Result[]> = {};
  for (const target of Object.values(targets)) run({ ...target }); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, target] of Object.entries(targets)) {
      const list = runs[name] ?? [];
      list.push(run(target));
      runs[name] = list;
    }
  }
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      {
        rps: median(list.map((r) => r.rps)),
        cpuUs: median(list.map((r) => r.cpuUs)),
        errors: list.reduce((s, r) => s + r.errors, 0),
      },
    ]),
  );
}

function print(title: string, results: Record<string, Result>, ratios: [string, string][]): void {
  console.log(`\n### ${title}\n\n| target | per s | CPU per op | errors |\n|---|---:|---:|---:|`);
  for (const [name, r] of Object.entries(results)) {
    console.log(`| ${name} | ${r.rps.toFixed(0)} | ${r.cpuUs.toFixed(1)} µs | ${r.errors} |`);
  }
  for (const [a, b] of ratios) {
    const x = results[a] as Result;
    const y = results[b] as Result;
    console.log(
      `- ${a} / ${b}: ${(x.rps / y.rps).toFixed(2)}× per s, CPU per op ${(x.cpuUs / y.cpuUs).toFixed(2)}×`,
    );
  }
}

/** `count` certificates (one key, distinct names), inline PEM in the routing file, made in-process. */
async function manyCertificates(count: number): Promise<string> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const key = x509.PemConverter.encode(
    await webcrypto.subtle.exportKey('pkcs8', keys.privateKey),
    'PRIVATE KEY',
  );
  const indent = (pem: string) =>
    pem
      .trim()
      .split('\n')
      .map((l) => `          ${l}`)
      .join('\n');
  const lines = ['  certificates:'];
  for (let i = 0; i < count; i++) {
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: (i + 1).toString(16).padStart(4, '0'),
      name: `CN=h${i}.bench.test`,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 2 * 86_400_000),
      keys,
      signingAlgorithm: algorithm,
      extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: `h${i}.bench.test` }])],
    });
    lines.push(`    - certFile: |\n${indent(cert.toString('pem'))}\n      keyFile: |\n${indent(key)}`);
  }
  return `${lines.join('\n')}\n`;
}

async function main() {
  const upstreamPort = await freePort();
  await startNodePeer(join(root, 'bench/proxy/peers/upstream.mjs'), false, String(upstreamPort));
  const upstream = `http://127.0.0.1:${upstreamPort}`;
  const ec = makeCertificate('ec');
  const rsa = makeCertificate('rsa');
  const fastifyPort = await freePort();
  const fastifyPid = await startNodePeer(
    join(root, 'bench/proxy-tls/peers/fastify-https-proxy.mjs'),
    true,
    String(fastifyPort),
    upstream,
    ec.certFile,
    ec.keyFile,
  );
  const fastify = { url: `https://127.0.0.1:${fastifyPort}/`, pid: fastifyPid };
  const affineurEc = await startAffineur(upstream, '', ec);
  const nginxEc = await startNginx(upstreamPort, ec);
  console.log(
    `wrk -t1 -c${connections} -d${duration}s, ${rounds} interleaved rounds, median shown; ${pinning.description}`,
  );

  if (args.only === undefined || args.only === 'keep-alive') {
    const keepAlive = compare(
      { affineur: affineurEc, '@fastify/http-proxy (https)': fastify, nginx: nginxEc },
      (t) => wrk(t, duration, false),
    );
    print('HTTPS, kept-alive connections (ECDSA P-256)', keepAlive, [
      ['affineur', '@fastify/http-proxy (https)'],
      ['affineur', 'nginx'],
    ]);
  }

  if (args.only === 'keep-alive') process.exit(0);
  // Node's own https server (under @fastify/http-proxy) shows what a handshake costs in Node.
  const handshakeTargets = { affineur: affineurEc, '@fastify/http-proxy (https)': fastify, nginx: nginxEc };
  const handshakesEc = compare(handshakeTargets, (t) => wrk(t, duration, true));
  print('New TLS handshakes (ECDSA P-256, one request per connection)', handshakesEc, [
    ['affineur', 'nginx'],
    ['affineur', '@fastify/http-proxy (https)'],
  ]);
  if (args.only === 'handshakes') process.exit(0);
  const affineurRsa = await startAffineur(upstream, '', rsa);
  const nginxRsa = await startNginx(upstreamPort, rsa);
  const handshakesRsa = compare({ affineur: affineurRsa, nginx: nginxRsa }, (t) => wrk(t, duration, true));
  print('New TLS handshakes (RSA 2048, one request per connection)', handshakesRsa, [['affineur', 'nginx']]);

  if (hasCommand('h2load')) {
    const h2 = compare({ affineur: affineurEc, nginx: nginxEc }, (t) => h2load(t, duration));
    print('HTTP/2 (h2load -c10 -m10)', h2, [['affineur', 'nginx']]);
  } else console.log('\nh2load not found (Debian nghttp2-client): HTTP/2 skipped');

  const count = Number(args.certificates ?? 10_000);
  const affineurMany = await startAffineur(upstream, await manyCertificates(count), ec);
  const many = compare({ [`${count} certificates`]: affineurMany, '1 certificate': affineurEc }, (t) =>
    wrk(t, duration, false),
  );
  print(`affineur with ${count} certificates vs 1 (kept-alive HTTPS)`, many, [
    [`${count} certificates`, '1 certificate'],
  ]);
  const manyHandshakes = compare(
    { [`${count} certificates`]: affineurMany, '1 certificate': affineurEc },
    (t) => wrk(t, duration, true),
  );
  print(`affineur with ${count} certificates vs 1 (new handshakes)`, manyHandshakes, [
    [`${count} certificates`, '1 certificate'],
  ]);
  process.exit(0);
}

await main();
