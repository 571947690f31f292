import { type AddressInfo, createServer } from 'node:net';
import { connect } from 'node:tls';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxClientHelloBytes, parseClientHello } from '../../../../proxy/tls/client-hello.js';

/** The first bytes a real Node TLS client sends: its ClientHello, as on the wire. */
async function captureClientHello(options: {
  servername?: string;
  ALPNProtocols?: string[];
  host?: string;
}): Promise<Buffer> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const captured = new Promise<Buffer>((resolve) => {
    server.once('connection', (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const all = Buffer.concat(chunks);
        if (all.length >= 5 && all.length >= 5 + all.readUInt16BE(3)) {
          socket.destroy();
          resolve(all);
        }
      });
    });
  });
  const client = connect({ host: options.host ?? '127.0.0.1', port, ...options, rejectUnauthorized: false });
  client.on('error', () => undefined);
  const hello = await captured;
  client.destroy();
  server.close();
  return hello;
}

/** The same handshake message cut into records of `size` bytes (RFC 8446 5.1 allows it). */
function reRecord(hello: Buffer, size: number): Buffer {
  const body = hello.subarray(5);
  const records: Buffer[] = [];
  for (let at = 0; at < body.length; at += size) {
    const fragment = body.subarray(at, at + size);
    const header = Buffer.from([0x16, 0x03, 0x01, 0, 0]);
    header.writeUInt16BE(fragment.length, 3);
    records.push(header, fragment);
  }
  return Buffer.concat(records);
}

/** A small deterministic PRNG, so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('parseClientHello', () => {
  let hello: Buffer;
  let bare: Buffer;

  beforeAll(async () => {
    hello = await captureClientHello({
      servername: 'Example.COM',
      ALPNProtocols: ['acme-tls/1', 'h2', 'http/1.1'],
    });
    bare = await captureClientHello({});
  });

  it('reads the server name (lower case) and the ALPN list of a real ClientHello', () => {
    expect(parseClientHello(hello)).toEqual({
      status: 'ok',
      serverName: 'example.com',
      alpnProtocols: ['acme-tls/1', 'h2', 'http/1.1'],
      length: hello.length,
    });
  });

  it('reports no server name and no ALPN when the client sent neither', () => {
    expect(parseClientHello(bare)).toMatchObject({ status: 'ok', serverName: undefined, alpnProtocols: [] });
  });

  it('asks for more bytes at every cut of a split ClientHello, then reads it whole', () => {
    for (let cut = 0; cut < hello.length; cut++) {
      expect(parseClientHello(hello.subarray(0, cut)).status).toBe('incomplete');
    }
    // Extra bytes after it (a client that does not wait) do not matter.
    expect(parseClientHello(Buffer.concat([hello, Buffer.from('more')]))).toMatchObject({
      status: 'ok',
      length: hello.length,
    });
  });

  it('reads a ClientHello that spans several TLS records', () => {
    for (const size of [1, 7, 64, 200]) {
      const records = reRecord(hello, size);
      expect(parseClientHello(records)).toMatchObject({
        status: 'ok',
        serverName: 'example.com',
        length: records.length,
      });
      expect(parseClientHello(records.subarray(0, records.length - 1)).status).toBe('incomplete');
    }
  });

  it('refuses what is not a ClientHello', () => {
    expect(parseClientHello(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toMatchObject({ status: 'invalid' });
    // A handshake record holding a ServerHello (type 2).
    expect(parseClientHello(Buffer.from([0x16, 0x03, 0x03, 0, 4, 2, 0, 0, 0]))).toMatchObject({
      status: 'invalid',
    });
    // A ClientHello claiming 16 MB is refused at once, not waited for.
    expect(parseClientHello(Buffer.from([0x16, 0x03, 0x01, 0, 4, 1, 0xff, 0xff, 0xff]))).toMatchObject({
      status: 'invalid',
      reason: 'the ClientHello is too large',
    });
    // A ClientHello under the bound but sent in tiny records is cut off once the bytes pass it.
    const flood = reRecord(
      Buffer.concat([hello.subarray(0, 5), Buffer.from([1, 0, 0xfd, 0xe8]), Buffer.alloc(46_000)]),
      10,
    );
    expect(flood.length).toBeGreaterThan(maxClientHelloBytes);
    expect(parseClientHello(flood)).toMatchObject({
      status: 'invalid',
      reason: 'the ClientHello is too large',
    });
  });

  it('never throws on random or mutated input (fuzz, 20,000 cases)', () => {
    const random = prng(20261206);
    const outcomes = { ok: 0, incomplete: 0, invalid: 0 };
    for (let i = 0; i < 20_000; i++) {
      let input: Buffer;
      const kind = i % 4;
      if (kind === 0) {
        input = Buffer.from(
          Array.from({ length: Math.floor(random() * 600) }, () => Math.floor(random() * 256)),
        );
        if (input.length > 1) input[0] = 0x16;
      } else if (kind === 1 || kind === 2) {
        input = Buffer.from(kind === 1 ? hello : reRecord(hello, 1 + Math.floor(random() * 300)));
        const flips = 1 + Math.floor(random() * 8);
        for (let f = 0; f < flips; f++)
          input[Math.floor(random() * input.length)] = Math.floor(random() * 256);
      } else {
        input = hello.subarray(0, Math.floor(random() * hello.length));
      }
      const result = parseClientHello(input);
      outcomes[result.status]++;
      if (result.status === 'ok') {
        expect(result.length).toBeLessThanOrEqual(input.length);
        expect(Array.isArray(result.alpnProtocols)).toBe(true);
      }
    }
    // Every outcome happens: the fuzz reaches deep into the parser, not only its first check.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.incomplete).toBeGreaterThan(0);
    expect(outcomes.invalid).toBeGreaterThan(0);
  });
});
