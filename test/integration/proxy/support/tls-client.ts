/**
 * Real TLS clients for the TLS tests: a handshake that reports what the server chose (its
 * certificate's names, protocol version, cipher, ALPN), and HTTPS requests over node:https.
 */
import { request as httpsRequest } from 'node:https';
import { type ConnectionOptions, connect, type TLSSocket } from 'node:tls';

export interface Handshake {
  ok: boolean;
  error?: string;
  /** CN of the served certificate. */
  commonName?: string;
  /** DNS SANs of the served certificate. */
  names: string[];
  protocol?: string | null;
  cipher?: string;
  alpn?: string | false | null;
}

export function handshake(port: number, options: ConnectionOptions = {}): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...options });
    let settled = false;
    const finish = (result: Handshake) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(result);
    };
    socket.once('secureConnect', () => {
      // TLS 1.3: a client-certificate refusal arrives after the client's handshake is done.
      socket.once('data', () => undefined);
      setTimeout(() => {
        const cert = socket.getPeerCertificate();
        finish({
          ok: !socket.destroyed,
          commonName: cert.subject?.CN as string | undefined,
          names: (cert.subjectaltname ?? '')
            .split(', ')
            .filter((n) => n.startsWith('DNS:'))
            .map((n) => n.slice(4)),
          protocol: socket.getProtocol(),
          cipher: socket.getCipher().name,
          alpn: socket.alpnProtocol,
        });
      }, 50);
    });
    socket.once('error', (error) => finish({ ok: false, error: error.message, names: [] }));
    socket.once('close', () => finish({ ok: false, error: 'closed', names: [] }));
  });
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function httpsGet(
  port: number,
  host: string,
  path = '/',
  options: ConnectionOptions & { headers?: Record<string, string>; agent?: import('node:https').Agent } = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const { headers, agent, ...tls } = options;
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        servername: host,
        headers: { host, ...headers },
        rejectUnauthorized: false,
        ...(agent ? { agent } : { agent: false }),
        ...tls,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
