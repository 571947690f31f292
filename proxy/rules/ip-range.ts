/**
 * IP addresses and CIDR ranges for the ClientIP matcher. Every address is held as 128 bits in
 * four 32-bit words; IPv4 addresses are stored in their IPv4-mapped IPv6 form (::ffff:a.b.c.d),
 * so an IPv4 range matches an IPv4 peer and an IPv4-mapped IPv6 peer alike, as Go's net.IP does.
 */

export type Ip128 = readonly [number, number, number, number];

export interface IpRange {
  readonly words: Ip128;
  /** Prefix length in the 128-bit space (an IPv4 /24 is /120 here). */
  readonly prefix: number;
}

export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    // Go refuses leading zeros (ambiguous octal) since 1.17.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export function parseIp(text: string): Ip128 | undefined {
  if (!text.includes(':')) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? undefined : [0, 0, 0xffff, v4];
  }
  return parseIpv6(text);
}

function parseIpv6(text: string): Ip128 | undefined {
  const groups: number[] = [];
  let gap = -1;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseSide = (side: string, isLast: boolean): number[] | undefined => {
    if (side === '') return [];
    const out: number[] = [];
    const pieces = side.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (isLast && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 === undefined) return undefined;
        out.push(Math.floor(v4 / 0x10000), v4 % 0x10000);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined;
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  if (halves.length === 2) {
    const head = parseSide(halves[0]!, false);
    const tail = parseSide(halves[1]!, true);
    if (!head || !tail || head.length + tail.length > 7) return undefined;
    groups.push(...head);
    gap = groups.length;
    groups.push(...tail);
  } else {
    const all = parseSide(text, true);
    if (all?.length !== 8) return undefined;
    groups.push(...all);
  }
  if (gap >= 0) groups.splice(gap, 0, ...new Array<number>(8 - groups.length).fill(0));
  const word = (i: number) => groups[2 * i]! * 0x10000 + groups[2 * i + 1]!;
  return [word(0), word(1), word(2), word(3)];
}

/**
 * An IP (a /32 or /128 range) or a CIDR. Like Go's ParseCIDR, host bits may be set
 * (192.168.1.7/24 is the range 192.168.1.0/24).
 */
export function parseIpRange(text: string): IpRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) {
    const words = parseIp(text);
    return words && { words, prefix: 128 };
  }
  const address = text.slice(0, slash);
  const bits = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(bits)) return undefined;
  const words = parseIp(address);
  if (!words) return undefined;
  const isV4 = !address.includes(':');
  const prefix = Number(bits) + (isV4 ? 96 : 0);
  if (prefix > 128 || (isV4 && Number(bits) > 32)) return undefined;
  return { words: maskWords(words, prefix), prefix };
}

function maskWords(words: Ip128, prefix: number): Ip128 {
  const masked = (i: 0 | 1 | 2 | 3) => (words[i] & wordMask(prefix, i)) >>> 0;
  return [masked(0), masked(1), masked(2), masked(3)];
}

/** The 32-bit mask of word `i` (0..3) for a prefix length, as an unsigned number. */
function wordMask(prefix: number, i: number): number {
  const bits = Math.min(32, Math.max(0, prefix - 32 * i));
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

export function rangeContains(range: IpRange, address: Ip128): boolean {
  for (let i = 0; i < 4; i++) {
    const mask = wordMask(range.prefix, i);
    if (mask === 0) return true;
    if ((address[i]! & mask) >>> 0 !== range.words[i]) return false;
  }
  return true;
}
