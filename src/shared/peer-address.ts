import type { Socket } from 'node:net';

/**
 * The peer's address as an operator writes it in `TRUSTED_PROXIES`: a dual-stack listener reports
 * IPv4 peers as `::ffff:10.0.0.5`, which would otherwise never match `10.0.0.5`.
 */
export function peerAddress(socket: Socket): string {
  const address = socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}
