import { connect as connectTcp } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';

import type { TlsIdentity } from './tls-fetch.ts';

/** A TLS connection driven byte by byte, as a slow or hostile client drives it. */
export interface RawConnection {
  socket: TLSSocket;
  /** When the handshake completed (`performance.now()` milliseconds). */
  openedAt: number;
  /** Everything the server has sent so far, as Latin-1 text. */
  received(): string;
  /** Resolves at the server's close with the `performance.now()` of that moment. */
  closed: Promise<number>;
}

/**
 * Opens a TLS connection that trusts the dev CA (presenting `identity`'s certificate when given);
 * resolves once the handshake is done, or with `'refused'` when the server closes the connection
 * before it.
 */
export function connectRaw(port: number, caPem: string, identity?: TlsIdentity): Promise<RawConnection | 'refused'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let closedAt: (at: number) => void;
    const closed = new Promise<number>((done) => (closedAt = done));
    const certificate = identity ? { cert: identity.certificatePem, key: identity.privateKeyPem } : {};
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: caPem, ...certificate }, () => {
      resolve({ socket, openedAt: performance.now(), received: () => Buffer.concat(chunks).toString('latin1'), closed });
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that hangs up while we write is what several tests wait for: not a failure.
    socket.on('error', () => {});
    socket.on('close', () => {
      closedAt(performance.now());
      resolve('refused');
    });
  });
}

/** Opens a TCP connection that never starts TLS: when it opened, when the server closed it. */
export function connectSilent(port: number): Promise<{ openedAt: number; closed: Promise<number>; destroy(): void }> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port });
    const closed = new Promise<number>((done) => socket.on('close', () => done(performance.now())));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ openedAt: performance.now(), closed, destroy: () => socket.destroy() }));
    socket.once('error', reject);
  });
}

/**
 * The milliseconds from `since` until `closed` settles; throws if it has not settled within
 * `limitMs` of `since` (and then calls `giveUp`, to free the socket).
 */
export async function closesWithin(closed: Promise<number>, since: number, limitMs: number, giveUp: () => void): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'open'>((resolve) => (timer = setTimeout(() => resolve('open'), limitMs - (performance.now() - since))));
  const outcome = await Promise.race([closed, deadline]);
  clearTimeout(timer);
  if (outcome === 'open') {
    giveUp();
    throw new Error(`the connection was still open ${limitMs} ms on`);
  }
  return outcome - since;
}

/** Writes `text` one byte every `intervalMs` until the socket closes or the text runs out. */
export async function drip(socket: TLSSocket, text: string, intervalMs: number): Promise<void> {
  for (const byte of text) {
    if (socket.destroyed || !socket.writable) return;
    socket.write(byte);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Reads the one HTTP/1.1 response in `text` (lower-cased header names; the body as sent). */
export function parseRawResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete HTTP response in ${JSON.stringify(text.slice(0, 200))}`);
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine!)?.[1]);
  const headers = Object.fromEntries(lines.map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
  }));
  return { status, headers, body: Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') };
}
