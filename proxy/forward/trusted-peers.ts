/**
 * Decides whether a peer may send us X-Forwarded-* headers (entryPoints.<name>.forwardedHeaders).
 * Node's BlockList does the CIDR matching for IPv4 and IPv6.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { AffineurError } from '../../src/errors/affineur-error.js';

export type PeerTrust = (address: string) => boolean;

export function peerTrust(
  options: { insecure: boolean; trustedIPs: readonly string[] },
  keyPath: string,
): PeerTrust {
  if (options.insecure) return () => true;
  if (options.trustedIPs.length === 0) return () => false;
  const list = new BlockList();
  for (const entry of options.trustedIPs) {
    const [address = '', prefix] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const bits = prefix === undefined ? undefined : Number(prefix);
    if (
      !type ||
      (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= (type === 'ipv4' ? 32 : 128)))
    ) {
      throw new AffineurError('AFF_ERR_CONFIG_INVALID', `"${entry}" is not an IP address or CIDR range.`, {
        keyPath,
        hint: 'Write addresses like "10.0.0.1" or ranges like "10.0.0.0/8" and "fd00::/8".',
      });
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return (address) => list.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

/** `::ffff:1.2.3.4` is how Node reports an IPv4 peer on a dual-stack socket. */
export function plainPeerAddress(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && isIPv4(address.slice(7)) ? address.slice(7) : address;
}
