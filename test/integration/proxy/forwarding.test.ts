import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { Writable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../support/services.js';
import {
  nodeGet,
  simpleRoute,
  startTestProxy,
  startUpstream,
  type TestProxy,
  type Upstream,
} from './support/harness.js';

/** Sends raw bytes and collects the raw answer until the server closes or `until` matches. */
function rawExchange(port: number, payload: string, until = /\r\n\r\n/): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (until.test(answer)) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.write(payload);
  });
}

/**
 * Writes `size` bytes as fast as the stream lets it (waiting for 'drain' when a write says so),
 * then ends it; `progress.sent` says how far it got, to check backpressure.
 */
function writeAll(
  stream: Writable,
  size: number,
  chunk: Buffer,
  progress: { sent: number } = { sent: 0 },
): void {
  const pump = () => {
    while (progress.sent < size) {
      progress.sent += chunk.length;
      if (!stream.write(chunk)) {
        stream.once('drain', pump);
        return;
      }
    }
    stream.end();
  };
  pump();
}

describe('forwarding', () => {
  let upstream: Upstream;
  let proxy: TestProxy;
  const big = 16 * 1024 * 1024;
  /** Bytes the upstream got to write of /firehose, which writes as fast as it is let. */
  const firehose = { sent: 0 };
  const firehoseSize = 128 * 1024 * 1024;
  let slowReaderWaiting: (() => void) | undefined;
  let slowReaderGo: (() => void) | undefined;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/download') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        writeAll(res, big, Buffer.alloc(64 * 1024, 7));
        return;
      }
      if (req.url === '/slow-reader') {
        // Reads nothing for a while; the test checks meanwhile how much the client could send.
        req.pause();
        slowReaderWaiting?.();
        slowReaderGo = () => {
          let size = 0;
          req.on('data', (c: Buffer) => {
            size += c.length;
          });
          req.on('end', () => res.end(String(size)));
          req.resume();
        };
        return;
      }
      if (req.url === '/firehose') {
        res.writeHead(200, { 'content-length': firehoseSize });
        writeAll(res, firehoseSize, Buffer.alloc(64 * 1024, 1), firehose);
        return;
      }
      if (req.url === '/trailers') {
        res.writeHead(200, { trailer: 'x-checksum' });
        res.write('part one;');
        res.addTrailers({ 'x-checksum': 'abc123' });
        res.end('part two');
        return;
      }
      if (req.url === '/never') return; // never answers
      if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('first');
        return; // keeps the response open
      }
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
      });
      req.on('end', () =>
        res.end(JSON.stringify({ size, url: req.url, te: req.headers['transfer-encoding'] ?? null })),
      );
    });
    upstream.server.on('upgrade', (req, socket, head) => {
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Forwarded-Proto-Seen: ${req.headers['x-forwarded-proto']}\r\n\r\n`,
      );
      if (head.length > 0) socket.write(head);
      socket.pipe(socket);
    });
    const refused = await freePort();
    proxy = await startTestProxy({
      dynamic: {
        http: {
          routers: {
            main: { rule: 'PathPrefix(`/`)', service: 'app' },
            admin: { rule: 'Path(`/admin`)', service: 'app' },
            down: { rule: 'PathPrefix(`/unreachable`)', service: 'refused' },
            slow: { rule: 'PathPrefix(`/never`)', service: 'slow' },
          },
          services: {
            app: { loadBalancer: { servers: [{ url: upstream.url }] } },
            refused: { loadBalancer: { servers: [{ url: `http://127.0.0.1:${refused}` }] } },
            slow: { loadBalancer: { servers: [{ url: upstream.url }], serversTransport: 'impatient' } },
          },
          serversTransports: { impatient: { forwardingTimeouts: { responseHeaderTimeout: '300ms' } } },
        },
      },
      static: { accessLog: { format: 'json', filePath: '/dev/null' } },
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('streams a large upload without Content-Length (chunked) to the upstream', async () => {
    const result = await new Promise<{ size: number; te: string }>((resolve, reject) => {
      const req = httpRequest(`${proxy.url()}/upload`, { method: 'POST' }, (res) => {
        let body = '';
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve(JSON.parse(body)));
      });
      req.on('error', reject);
      writeAll(req, big, Buffer.alloc(256 * 1024, 1));
    });
    expect(result.size).toBe(big);
    expect(result.te).toBe('chunked');
  });

  it('streams a large download', async () => {
    const response = await request(`${proxy.url()}/download`);
    let size = 0;
    for await (const chunk of response.body) size += (chunk as Buffer).length;
    expect(response.statusCode).toBe(200);
    expect(size).toBe(big);
  });

  it('does not buffer for a client that reads slowly: the upstream waits (backpressure)', async () => {
    const received = await new Promise<number>((resolve, reject) => {
      httpRequest(`${proxy.url()}/firehose`, (res) => {
        res.pause();
        // While the client reads nothing, the upstream may fill the socket buffers on the way,
        // not 128 MiB into the proxy's memory.
        setTimeout(() => {
          try {
            expect(firehose.sent).toBeLessThan(48 * 1024 * 1024);
          } catch (error) {
            reject(error);
            return;
          }
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
          });
          res.on('end', () => resolve(size));
          res.resume();
        }, 500);
      })
        .on('error', reject)
        .end();
    });
    expect(received).toBe(firehoseSize);
  });

  it('does not buffer an upload for a server that reads slowly: the client waits (backpressure)', async () => {
    const total = 128 * 1024 * 1024;
    const upload = { sent: 0 };
    const waiting = new Promise<void>((resolve) => {
      slowReaderWaiting = resolve;
    });
    const answer = new Promise<string>((resolve, reject) => {
      const req = httpRequest(`${proxy.url()}/slow-reader`, { method: 'POST' }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      writeAll(req, total, Buffer.alloc(64 * 1024, 2), upload);
    });
    await waiting;
    await new Promise((r) => setTimeout(r, 500));
    expect(upload.sent).toBeLessThan(48 * 1024 * 1024);
    slowReaderGo?.();
    expect(await answer).toBe(String(total));
  });

  it('relays response trailers', async () => {
    const result = await new Promise<{ body: string; trailers: Record<string, string | undefined> }>(
      (resolve) => {
        httpRequest(`${proxy.url()}/trailers`, { headers: { te: 'trailers' } }, (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ body, trailers: res.trailers }));
        }).end();
      },
    );
    expect(result.body).toBe('part one;part two');
    expect(result.trailers['x-checksum']).toBe('abc123');
  });

  it('answers Expect: 100-continue and then forwards the body', async () => {
    const result = await new Promise<{ continued: boolean; body: { size: number } }>((resolve, reject) => {
      let continued = false;
      const req = httpRequest(
        `${proxy.url()}/expect`,
        { method: 'PUT', headers: { expect: '100-continue', 'content-length': '5' } },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ continued, body: JSON.parse(body) }));
        },
      );
      req.on('continue', () => {
        continued = true;
        req.end('hello');
      });
      req.on('error', reject);
    });
    expect(result.continued).toBe(true);
    expect(result.body.size).toBe(5);
  });

  it('proxies a WebSocket upgrade and relays bytes both ways', async () => {
    const echoed = await new Promise<{ data: string; proto: string | string[] | undefined }>(
      (resolve, reject) => {
        const req = httpRequest(`${proxy.url()}/ws`, {
          headers: {
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
            resolve({ data: data.toString(), proto: res.headers['x-forwarded-proto-seen'] });
          });
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(echoed.data).toBe('ping-frame');
    expect(echoed.proto).toBe('ws');
  });

  it('answers 502 when the server refuses the connection', async () => {
    const response = await nodeGet(`${proxy.url()}/unreachable`);
    expect(response.status).toBe(502);
  });

  it('answers 504 when the server does not answer within responseHeaderTimeout', async () => {
    const response = await nodeGet(`${proxy.url()}/never`);
    expect(response.status).toBe(504);
  });

  it('answers 404 when no router matches', async () => {
    const response = await nodeGet(`${proxy.url()}/x`, { host: 'nothing.example' });
    expect(response.status).toBe(200);
    const other = await startTestProxy({
      dynamic: simpleRoute([upstream.url], {}, { rule: 'Host(`only.example`)' }),
    });
    try {
      const missing = await nodeGet(`${other.url()}/x`);
      expect(missing.status).toBe(404);
      expect(missing.body).toBe('404 page not found\n');
    } finally {
      await other.close();
    }
  });

  it('sanitizes the path before routing and forwarding', async () => {
    const answer = await rawExchange(
      proxy.port(),
      'GET /public/../admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      /\}$/,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"url":"/admin"');
  });

  it('aborts the upstream request when the client goes away first', async () => {
    const aborted = new Promise<void>((resolve) => {
      upstream.server.once('request', (req) => req.socket.once('close', () => resolve()));
    });
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${proxy.url()}/slow-body`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    await aborted;
  });
});

describe('defensive limits (llhttp and entryPoint settings)', () => {
  let upstream: Upstream;
  let proxy: TestProxy;

  beforeAll(async () => {
    upstream = await startUpstream();
    proxy = await startTestProxy({
      static: { entryPoints: { web: { address: '127.0.0.1:0', http: { maxHeaderBytes: 4096 } } } },
      dynamic: simpleRoute([upstream.url]),
    });
  });
  afterAll(async () => {
    await proxy.close();
    await upstream.close();
  });

  const refused = (payload: string) => rawExchange(proxy.port(), payload, /\r\n\r\n/);

  it('refuses a request with both Content-Length and Transfer-Encoding', async () => {
    const answer = await refused(
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect(upstream.requests.some((r) => r.url === '/smuggled')).toBe(false);
  });

  it('refuses a malformed Content-Length', async () => {
    expect(await refused('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4x\r\n\r\nabcd')).toMatch(
      /^HTTP\/1\.1 400/,
    );
    expect(
      await refused('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde'),
    ).toMatch(/^HTTP\/1\.1 400/);
  });

  it('refuses a Transfer-Encoding other than chunked', async () => {
    expect(await refused('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabcd')).toMatch(
      /^HTTP\/1\.1 400/,
    );
    expect(
      await refused('POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\nabcd'),
    ).toMatch(/^HTTP\/1\.1 400/);
  });

  it('refuses a request without Host', async () => {
    expect(await refused('GET / HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
  });

  it('answers 431 when the headers exceed http.maxHeaderBytes', async () => {
    const answer = await refused(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);
  });

  it('still serves a well-formed chunked request', async () => {
    const answer = await rawExchange(
      proxy.port(),
      'POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nabcd\r\n0\r\n\r\n',
      /\}$/,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('"size":4');
  });
});
