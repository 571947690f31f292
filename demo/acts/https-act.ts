/**
 * Act 3: HTTPS. A certificate for shop.localhost chosen by SNI, the generated default
 * certificate for any other name, Traefik's web → websecure redirection, and HTTP/2 negotiated
 * by ALPN on the same port, all from unchanged Traefik configuration.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect as http2Connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { type RunningProxy, startProxy } from '../../proxy/proxy-app.js';
import { loadProxyInstallConfig } from '../../proxy/proxy-command.js';
import { selfSigned } from '../../proxy/tls/default-certificate.js';
import { createLogger } from '../../src/log/logger.js';
import type { Narrator } from '../narrator.js';
import { get, nextApplied, startUpstream } from '../support/demo-http.js';

export async function httpsAct(narrator: Narrator): Promise<void> {
  narrator.act('HTTPS: certificates by SNI, a default certificate, redirection, HTTP/2');
  const dir = await mkdtemp(join(tmpdir(), 'affineur-demo-https-'));
  const dynamic = join(dir, 'dynamic');
  await mkdir(dynamic);
  const upstream = await startUpstream('shop');
  let proxy: RunningProxy | undefined;
  try {
    narrator.step('Make a certificate for shop.localhost and write a Traefik configuration that uses it.');
    const certificate = await selfSigned('shop.localhost', ['shop.localhost'], 30);
    await writeFile(join(dir, 'shop.crt'), certificate.certPem);
    await writeFile(join(dir, 'shop.key'), certificate.keyPem, { mode: 0o600 });
    await writeFile(
      join(dynamic, 'shop.yml'),
      [
        'http:',
        '  routers:',
        '    shop:',
        '      rule: Host(`shop.localhost`)',
        '      entryPoints: [websecure]',
        '      tls: {}',
        '      service: shop',
        '  services:',
        '    shop:',
        '      loadBalancer:',
        `        servers: [{ url: "${upstream.url}" }]`,
        'tls:',
        '  certificates:',
        `    - certFile: ${JSON.stringify(join(dir, 'shop.crt'))}`,
        `      keyFile: ${JSON.stringify(join(dir, 'shop.key'))}`,
        '',
      ].join('\n'),
    );
    const installFile = join(dir, 'affineur.yml');
    await writeFile(
      installFile,
      [
        'entryPoints:',
        '  web:',
        '    address: "127.0.0.1:0"',
        '    http:',
        '      redirections:',
        '        entryPoint: { to: websecure, scheme: https }',
        '  websecure:',
        '    address: "127.0.0.1:0"',
        'providers:',
        '  providersThrottleDuration: 50ms',
        '  file:',
        `    directory: ${JSON.stringify(dynamic)}`,
        '',
      ].join('\n'),
    );
    narrator.saw(
      'router `shop` on websecure with tls: {}; tls.certificates: shop.crt; web redirects to websecure',
    );

    const { config } = await loadProxyInstallConfig([`--configFile=${installFile}`], { env: {}, cwd: dir });
    proxy = await startProxy(config, { logger: createLogger({ level: 'silent' }) });
    if (!proxy.runtime()?.routers.has('shop@file')) await nextApplied(proxy);
    const web = proxy.addresses.get('web')?.port as number;
    const secure = proxy.addresses.get('websecure')?.port as number;

    narrator.step('A TLS client asks for shop.localhost, then for a name nobody configured.');
    const shop = await handshake(secure, 'shop.localhost');
    narrator.saw(`SNI shop.localhost → certificate CN=${shop.subject}, ${shop.protocol}, ALPN ${shop.alpn}`);
    const other = await handshake(secure, 'unknown.localhost');
    narrator.saw(`SNI unknown.localhost → certificate CN=${other.subject} (generated at start)`);

    narrator.step('Plain HTTP on web is redirected to HTTPS, as entryPoints.web.http.redirections asks.');
    const redirected = await get(`http://127.0.0.1:${web}`, '/cart', 'shop.localhost');
    narrator.saw(`GET http://shop.localhost/cart → ${redirected.status}`);

    narrator.step('An HTTP/2 client on the same HTTPS port: the request goes through to the upstream.');
    narrator.saw(await http2Get(secure, 'shop.localhost', '/cart', certificate.certPem));
  } finally {
    await proxy?.stop();
    upstream.server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One TLS handshake with this server name; what the proxy chose to serve. */
function handshake(
  port: number,
  servername: string,
): Promise<{ subject: string; protocol: string; alpn: string }> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: '127.0.0.1', port, servername, rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] },
      () => {
        const subject = socket.getPeerCertificate().subject?.CN ?? '?';
        resolve({
          subject: String(subject),
          protocol: socket.getProtocol() ?? '?',
          alpn: String(socket.alpnProtocol),
        });
        socket.end();
      },
    );
    socket.once('error', reject);
  });
}

/** A GET over HTTP/2, trusting the demo's own certificate. */
function http2Get(port: number, host: string, path: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = http2Connect(`https://127.0.0.1:${port}`, { ca, servername: host });
    session.once('error', reject);
    const stream = session.request({ ':path': path, ':authority': host });
    let body = '';
    let status = 0;
    stream.on('response', (headers) => {
      status = Number(headers[':status']);
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      body += chunk;
    });
    stream.on('end', () => {
      session.close();
      resolve(`HTTP/2 ${status}: ${body.trim()}`);
    });
    stream.once('error', reject);
    stream.end();
  });
}
