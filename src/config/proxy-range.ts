import { isIPv4, isIPv6, SocketAddress } from 'node:net';

/*
 * Reads one entry of `TRUSTED_PROXIES`: an exact address (`10.0.0.5`, `fd00::5`) or a CIDR range
 * (`10.0.0.0/8`, `fd00::/8`). Whoever an entry covers may hand us a client's address and its
 * certificate, so an entry that could mean two things stops the start instead of being guessed at:
 * - a host part past the prefix (`10.0.0.1/8`) is refused, never rounded down to `10.0.0.0/8`:
 *   whoever wrote it may have meant the one address, and rounding would trust sixteen million;
 * - a prefix of 0 (`0.0.0.0/0`, `::/0`) is refused: it trusts every peer, which is no proxy at all;
 * - an IPv4-mapped IPv6 form (`::ffff:10.0.0.5`) is refused in favour of its IPv4 form: peers
 *   are matched by their IPv4 address (`src/shared/trusted-proxies.ts`);
 * - a zone (`fe80::1%eth0`), a prefix with a sign or a leading zero (`/+8`, `/08`) are refused.
 */

/** One entry of `TRUSTED_PROXIES`: an exact address is a range of one (a prefix of 32 or 128). */
export interface ProxyRange {
  /** The range's first address, as written. */
  network: string;
  /** How many leading bits a peer's address must share with `network`. */
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

// Only ever given what `isIPv6` accepted, without a zone: up to eight groups of hex, one `::` at
// most, and perhaps a dotted IPv4 tail, which is two groups.
function ipv6Bytes(address: string): number[] {
  const dotted = address.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  let hex = address;
  if (dotted) {
    const [a, b, c, d] = ipv4Bytes(dotted[2]);
    hex = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const groups = (text: string) => (text ? text.split(':').map((group) => parseInt(group, 16)) : []);
  const [head, tail] = hex.split('::');
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<number>(8 - groups(head).length - groups(tail).length).fill(0), ...groups(tail)];
  return all.flatMap((group) => [group >> 8, group & 0xff]);
}

/** The bits of byte `index` that a `/prefix` keeps. */
function prefixMask(prefix: number, index: number): number {
  return (0xff00 >> Math.min(8, Math.max(0, prefix - index * 8))) & 0xff;
}

/** The address with every bit past `prefix` cleared, in the family's usual notation. */
function networkOf(bytes: number[], prefix: number, family: ProxyRange['family']): string {
  const cleared = bytes.map((byte, index) => byte & prefixMask(prefix, index));
  if (family === 'ipv4') return cleared.join('.');
  const groups = Array.from({ length: 8 }, (_, index) => ((cleared[index * 2] << 8) | cleared[index * 2 + 1]).toString(16));
  return new SocketAddress({ address: groups.join(':'), family }).address;
}

/**
 * Reads one `TRUSTED_PROXIES` entry. The message of what it throws says what is wrong and, for a
 * host part past the prefix, which range was probably meant.
 *
 * @throws {TypeError} for anything but an IPv4 or IPv6 address, optionally followed by `/prefix`
 *   (1 to 32, or 1 to 128) with no bits set past the prefix.
 *
 * @example
 * readProxyRange('10.0.0.0/8'); // { network: '10.0.0.0', prefix: 8, family: 'ipv4' }
 * readProxyRange('fd00::5');    // { network: 'fd00::5', prefix: 128, family: 'ipv6' }
 * readProxyRange('10.0.0.1/8'); // throws: 10.0.0.1/8 has bits set past /8 (the range would be 10.0.0.0/8)
 */
export function readProxyRange(entry: string): ProxyRange {
  const [address, prefixText, ...rest] = entry.split('/');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) && !address.includes('%') ? 'ipv6' : undefined;
  if (!family || rest.length) throw new TypeError(`${entry} is not an IP address or a CIDR range (address/prefix)`);
  const bytes = family === 'ipv4' ? ipv4Bytes(address) : ipv6Bytes(address);
  if (family === 'ipv6' && bytes.slice(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    throw new TypeError(`${entry} is IPv4-mapped IPv6: write it in IPv4 form, as peers are matched (${bytes.slice(12).join('.')})`);
  }
  const bits = bytes.length * 8;
  if (prefixText === undefined) return { network: address, prefix: bits, family };
  if (!/^(0|[1-9]\d*)$/.test(prefixText) || Number(prefixText) > bits) throw new TypeError(`${entry}: the prefix length must be a whole number from 1 to ${bits}`);
  const prefix = Number(prefixText);
  if (prefix === 0) throw new TypeError(`${entry} trusts every address: name the proxies' own range`);
  const hostBitsSet = bytes.some((byte, index) => (byte & ~prefixMask(prefix, index)) !== 0);
  if (hostBitsSet) throw new TypeError(`${entry} has bits set past /${prefix} (the range would be ${networkOf(bytes, prefix, family)}/${prefix})`);
  return { network: address, prefix, family };
}
