/**
 * Reads the server name (SNI) and the ALPN protocols from the first bytes of a TLS connection,
 * before any TLS library sees them. Node's SNICallback runs without the ALPN list, and choosing
 * the certificate, the client-auth mode and the ALPN protocols per connection (TLS-ALPN-01 answers
 * with its own certificate and `acme-tls/1`; TCP routers match on HostSNI and ALPN) needs both.
 *
 * The ClientHello may come split across TCP segments and across TLS records (RFC 8446 5.1
 * allows a handshake message to span records): `parseClientHello` is called again with more
 * bytes each time it answers `incomplete`. Its input is bounded (`maxClientHelloBytes`), and
 * anything that is not a well-formed ClientHello answers `invalid`, never throws.
 */

export type ClientHelloResult =
  | { status: 'incomplete' }
  | { status: 'invalid'; reason: string }
  | {
      status: 'ok';
      /** The host_name of the SNI extension, lower-cased; undefined when the client sent none. */
      serverName: string | undefined;
      /** The ALPN protocol names the client offers, in its order; [] without the extension. */
      alpnProtocols: string[];
      /** How many bytes of the input the records holding the ClientHello take. */
      length: number;
    };

/** A ClientHello with post-quantum key shares is about 1.8 kB; anything near this is hostile. */
export const maxClientHelloBytes = 64 * 1024;

const recordHeader = 5;
const handshakeRecord = 0x16;
const clientHelloType = 0x01;
const sniExtension = 0x0000;
const alpnExtension = 0x0010;

/** True when the first byte can start a TLS handshake (used to tell TLS from plain HTTP). */
export function looksLikeTls(firstByte: number): boolean {
  return firstByte === handshakeRecord;
}

export function parseClientHello(data: Uint8Array): ClientHelloResult {
  // Gather the handshake bytes out of consecutive handshake records.
  const parts: Uint8Array[] = [];
  let gathered = 0;
  let offset = 0;
  let needed = -1; // the handshake message's full length, once its header is in
  while (needed < 0 || gathered < needed) {
    if (offset + recordHeader > data.length) return incompleteOrTooBig(data);
    if (data[offset] !== handshakeRecord) {
      return { status: 'invalid', reason: 'not a TLS handshake record' };
    }
    if (data[offset + 1] !== 0x03) return { status: 'invalid', reason: 'not a TLS record version' };
    const length = ((data[offset + 3] as number) << 8) | (data[offset + 4] as number);
    if (length === 0 || length > 16384 + 256) {
      return { status: 'invalid', reason: `bad TLS record length ${length}` };
    }
    if (offset + recordHeader + length > data.length) return incompleteOrTooBig(data);
    parts.push(data.subarray(offset + recordHeader, offset + recordHeader + length));
    gathered += length;
    offset += recordHeader + length;
    if (needed < 0 && gathered >= 4) {
      const head = concat(parts, 4);
      if (head[0] !== clientHelloType)
        return { status: 'invalid', reason: 'the first message is not a ClientHello' };
      needed = 4 + (((head[1] as number) << 16) | ((head[2] as number) << 8) | (head[3] as number));
      if (needed > maxClientHelloBytes) return { status: 'invalid', reason: 'the ClientHello is too large' };
    }
  }
  const message = concat(parts, needed);
  const fields = readClientHello(message.subarray(4));
  if (typeof fields === 'string') return { status: 'invalid', reason: fields };
  return { status: 'ok', ...fields, length: offset };
}

function incompleteOrTooBig(data: Uint8Array): ClientHelloResult {
  return data.length >= maxClientHelloBytes + 64
    ? { status: 'invalid', reason: 'the ClientHello is too large' }
    : { status: 'incomplete' };
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return (parts[0] as Uint8Array).subarray(0, length);
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    const take = Math.min(part.length, length - at);
    out.set(part.subarray(0, take), at);
    at += take;
    if (at === length) break;
  }
  return out;
}

/** A bounds-checked reader: every read past the end throws `Truncated`, caught by the caller. */
class Reader {
  readonly #data: Uint8Array;
  #at = 0;

  constructor(data: Uint8Array) {
    this.#data = data;
  }

  get remaining(): number {
    return this.#data.length - this.#at;
  }

  u8(): number {
    if (this.#at + 1 > this.#data.length) throw truncated;
    return this.#data[this.#at++] as number;
  }

  u16(): number {
    return (this.u8() << 8) | this.u8();
  }

  bytes(length: number): Uint8Array {
    if (this.#at + length > this.#data.length) throw truncated;
    const out = this.#data.subarray(this.#at, this.#at + length);
    this.#at += length;
    return out;
  }
}

const truncated = new Error('truncated');

function readClientHello(
  body: Uint8Array,
): { serverName: string | undefined; alpnProtocols: string[] } | string {
  try {
    const r = new Reader(body);
    r.bytes(2 + 32); // legacy_version, random
    const sessionId = r.u8();
    if (sessionId > 32) return 'bad session id length';
    r.bytes(sessionId);
    const suites = r.u16();
    if (suites === 0 || suites % 2 !== 0) return 'bad cipher suites length';
    r.bytes(suites);
    const compression = r.u8();
    if (compression === 0) return 'no compression method';
    r.bytes(compression);
    let serverName: string | undefined;
    let alpnProtocols: string[] = [];
    if (r.remaining === 0) return { serverName, alpnProtocols }; // no extensions (TLS 1.0 style)
    const extensions = new Reader(r.bytes(r.u16()));
    const seen = new Set<number>();
    while (extensions.remaining > 0) {
      const type = extensions.u16();
      const data = extensions.bytes(extensions.u16());
      if (seen.has(type)) return `extension ${type} appears twice`;
      seen.add(type);
      if (type === sniExtension) {
        const name = readServerName(data);
        if (name === null) return 'bad server_name extension';
        serverName = name;
      } else if (type === alpnExtension) {
        const list = readAlpn(data);
        if (list === null) return 'bad ALPN extension';
        alpnProtocols = list;
      }
    }
    return { serverName, alpnProtocols };
  } catch (error) {
    if (error === truncated) return 'the ClientHello is truncated';
    throw error;
  }
}

function readServerName(data: Uint8Array): string | undefined | null {
  const r = new Reader(data);
  const list = new Reader(r.bytes(r.u16()));
  if (r.remaining !== 0) return null;
  let name: string | undefined;
  while (list.remaining > 0) {
    const type = list.u8();
    const value = list.bytes(list.u16());
    if (type !== 0 || name !== undefined) continue; // only one host_name (RFC 6066 3)
    if (value.length === 0 || value.length > 255) return null;
    let text = '';
    for (const byte of value) {
      // A DNS name in ASCII (IDNs come as A-labels); anything else is refused, not guessed at.
      if (byte <= 0x20 || byte >= 0x7f) return null;
      text += String.fromCharCode(byte);
    }
    name = text.toLowerCase().replace(/\.$/, '');
  }
  return name;
}

function readAlpn(data: Uint8Array): string[] | null {
  const r = new Reader(data);
  const list = new Reader(r.bytes(r.u16()));
  if (r.remaining !== 0) return null;
  const out: string[] = [];
  while (list.remaining > 0) {
    const value = list.bytes(list.u8());
    if (value.length === 0) return null;
    out.push(Buffer.from(value).toString('latin1'));
  }
  return out;
}
