import { BlockList, isIPv4, isIPv6, type Socket } from 'node:net';

import type { ProxyRange } from '../config/proxy-range.ts';

/** The proxies `TRUSTED_PROXIES` names, asked once per request and per certificate lookup. */
export interface TrustedProxies {
  /** Whether any proxy is trusted at all: Koa's and oidc-provider's `proxy`. */
  readonly any: boolean;
  /** Whether the connection's peer is one of them. */
  includes(socket: Socket): boolean;
}

// A dual-stack listener reports IPv4 peers as `::ffff:10.0.0.5`: matched as `10.0.0.5`.
function peerAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/**
 * Matches peers against `TRUSTED_PROXIES` with Node's `BlockList`, built once at startup. An IPv4
 * peer that a dual-stack listener reports as `::ffff:10.0.0.5` is matched as `10.0.0.5`, against
 * the IPv4 entries (the configuration refuses IPv4-mapped entries, so there is one way to match).
 * Each family has its own list: one `BlockList` would also match IPv4 peers against IPv6 ranges
 * that hold `::ffff:0:0/96` (`::/1`, `::/64`). A socket without an address (closed) is nobody's.
 *
 * @example
 * const proxies = trustedProxies(config.proxy.trusted); // from `10.0.0.0/8,fd00::/8`
 * if (proxies.includes(ctx.req.socket)) … // the peer is 10.1.2.3, or ::ffff:10.1.2.3, or fd00::7
 */
export function trustedProxies(ranges: readonly ProxyRange[]): TrustedProxies {
  const lists = { ipv4: new BlockList(), ipv6: new BlockList() };
  for (const { network, prefix, family } of ranges) lists[family].addSubnet(network, prefix, family);
  return {
    any: ranges.length > 0,
    includes(socket) {
      const address = peerAddress(socket);
      if (isIPv4(address)) return lists.ipv4.check(address, 'ipv4');
      return isIPv6(address) && lists.ipv6.check(address, 'ipv6');
    },
  };
}
