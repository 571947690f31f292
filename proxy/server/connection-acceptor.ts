/**
 * Every connection of an entryPoint starts here, as in Traefik, where any entryPoint serves
 * both HTTP and HTTPS: its first bytes are read (not consumed: they are put back), and a TLS
 * ClientHello goes to the TLS handshake, anything else to the HTTP/1.1 server.
 *
 * Reading the ClientHello ourselves gives, before the handshake, what Node's SNICallback cannot:
 * the ALPN list (TLS-ALPN-01 answers `acme-tls/1` with its own certificate) and the choice, per
 * server name, of the certificate, the TLS options (versions, ciphers, client CAs) and the
 * client-certificate mode. The TLS socket is then made with exactly those.
 */
import type { Socket } from 'node:net';
import { type SecureContext, TLSSocket } from 'node:tls';
import type { Logger } from '../../src/log/logger.js';
import { optionsForHost, type TlsSnapshot } from '../tls/build-tls.js';
import { type ClientHelloResult, looksLikeTls, parseClientHello } from '../tls/client-hello.js';
import type { SecureContexts } from '../tls/secure-contexts.js';
import { acmeTlsAlpnProtocol, type TlsAlpnChallengeLookup } from '../tls/tls-alpn-challenges.js';
import { type ClientAuthType, verifyMode } from '../tls/tls-options.js';

export interface ConnectionAcceptorOptions {
  entryPoint: string;
  /** How long the first bytes, then the TLS handshake, may take. */
  timeoutMs: number;
  tls: () => TlsSnapshot | undefined;
  contexts: SecureContexts;
  challenges: TlsAlpnChallengeLookup | undefined;
  logger: Logger;
  plain(socket: Socket): void;
  /** A finished handshake; `alpnProtocol` says h2 or HTTP/1.1. */
  secure(socket: TLSSocket): void;
}

// TLS alerts sent in the clear, before any handshake key exists (RFC 8446 6).
const alert = (description: number) => Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description]);
const decodeError = alert(50);
const unrecognizedName = alert(112);

export function acceptConnection(socket: Socket, options: ConnectionAcceptorOptions): void {
  const chunks: Buffer[] = [];
  let size = 0;
  const timer = setTimeout(() => socket.destroy(), options.timeoutMs > 0 ? options.timeoutMs : 60_000);
  const stop = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('error', onError);
    socket.off('close', onClose);
  };
  const onError = () => socket.destroy();
  const onClose = () => stop();
  const onData = (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (!looksLikeTls(chunks[0]?.[0] as number) || options.tls() === undefined) {
      handOver(() => options.plain(socket));
      return;
    }
    const data = chunks.length === 1 ? chunk : Buffer.concat(chunks, size);
    const hello = parseClientHello(data);
    if (hello.status === 'incomplete') return;
    if (hello.status === 'invalid') {
      stop();
      refuse(socket, decodeError);
      return;
    }
    handOver(() => startTls(socket, hello, options));
  };
  const handOver = (next: () => void) => {
    stop();
    socket.pause();
    socket.unshift(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    next();
  };
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', onClose);
}

function refuse(socket: Socket, record: Buffer): void {
  socket.end(record);
  socket.destroySoon();
}

function startTls(
  socket: Socket,
  hello: Extract<ClientHelloResult, { status: 'ok' }>,
  options: ConnectionAcceptorOptions,
): void {
  const snapshot = options.tls() as TlsSnapshot;
  const serverName = hello.serverName;
  let context: SecureContext;
  let alpn: string[];
  let clientAuth: ClientAuthType = 'NoClientCert';
  const challenge =
    serverName !== undefined && hello.alpnProtocols.includes(acmeTlsAlpnProtocol)
      ? options.challenges?.(serverName)
      : undefined;
  if (challenge) {
    context = challenge;
    alpn = [acmeTlsAlpnProtocol];
  } else {
    const tlsOptions = optionsForHost(snapshot, options.entryPoint, serverName);
    const certificate = snapshot.store.match(serverName);
    if (certificate === undefined && tlsOptions.sniStrict) {
      refuse(socket, unrecognizedName);
      return;
    }
    context = options.contexts.get(certificate ?? snapshot.store.defaultCertificate, tlsOptions);
    alpn = tlsOptions.alpnProtocols.filter((p) => p !== acmeTlsAlpnProtocol);
    clientAuth = tlsOptions.clientAuthType;
  }
  const mode = verifyMode(clientAuth);
  // The TCP socket now belongs to the TLS socket; an error of its own must not go unheard.
  socket.on('error', () => socket.destroy());
  const tlsSocket = new TLSSocket(socket, {
    isServer: true,
    secureContext: context,
    requestCert: mode.requestCert,
    rejectUnauthorized: mode.rejectUnauthorized,
    ...(alpn.length > 0 ? { ALPNProtocols: alpn } : {}),
  });
  const timer = setTimeout(() => tlsSocket.destroy(), options.timeoutMs > 0 ? options.timeoutMs : 60_000);
  tlsSocket.once('close', () => clearTimeout(timer));
  tlsSocket.on('error', () => tlsSocket.destroy());
  tlsSocket.once('secure', () => {
    clearTimeout(timer);
    if (!checkClientCertificate(tlsSocket, clientAuth)) {
      tlsSocket.destroy();
      return;
    }
    // What Node's own tls.Server does before 'secureConnection'; http2 waits for it.
    (tlsSocket as unknown as { secureConnecting: boolean }).secureConnecting = false;
    if (challenge) {
      // RFC 8737: the validator only looks at the certificate, then closes; no HTTP follows.
      tlsSocket.setTimeout(options.timeoutMs > 0 ? options.timeoutMs : 60_000, () => tlsSocket.destroy());
      tlsSocket.on('data', () => tlsSocket.destroy());
      return;
    }
    options.secure(tlsSocket);
  });
}

/**
 * Go's modes beyond what OpenSSL enforces in the handshake: a certificate required but not
 * verified (RequireAnyClientCert), or verified only when given (VerifyClientCertIfGiven).
 * Sets `authorized`/`authorizationError` as Node's tls.Server does.
 */
function checkClientCertificate(socket: TLSSocket, type: ClientAuthType): boolean {
  if (type === 'NoClientCert') return true;
  // The handle's verify result is what tls.Server reads too; there is no public accessor.
  const handle = (socket as unknown as { _handle?: { verifyError(): (Error & { code?: string }) | null } })
    ._handle;
  const verifyError = handle?.verifyError() ?? null;
  const given = Object.keys(socket.getPeerCertificate() ?? {}).length > 0;
  if (verifyError) socket.authorizationError = (verifyError.code ?? verifyError.message) as never;
  else if (given) socket.authorized = true;
  switch (type) {
    case 'RequireAnyClientCert':
      return given;
    case 'VerifyClientCertIfGiven':
      return !given || verifyError === null;
    case 'RequireAndVerifyClientCert':
      return given && verifyError === null;
    default:
      return true;
  }
}
