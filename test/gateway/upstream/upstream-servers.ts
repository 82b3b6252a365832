import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';

import { pino } from 'pino';

import type { UpstreamClient, UpstreamRequest, UpstreamResponse } from '../../../src/gateway/upstream/upstream-client.ts';
import { freePort } from '../../helpers/free-port.ts';

/*
 * Upstreams for the upstream client's tests, each on its own loopback port: a real HTTP server, a
 * port nothing listens on, a TCP server that never says a word, and one that hangs up at once.
 */

export const silentLogger = pino({ level: 'silent' });

/** An upstream client whose answers' bodies come as streams to read (each into a PassThrough), as a test reads them. */
export interface StreamingUpstreamClient {
  forward(request: UpstreamRequest): Promise<UpstreamResponse & { body: PassThrough }>;
  close(): Promise<void>;
}

export function streamingBodies(client: UpstreamClient): StreamingUpstreamClient {
  return {
    async forward(request) {
      const body = new PassThrough();
      return { ...(await client.forward(request, () => body)), body };
    },
    close: () => client.close(),
  };
}

export interface TestUpstream {
  url: string;
  /** Requests it received, in order. */
  received: IncomingMessage[];
  /** TCP connections it accepted. */
  connections(): number;
  close(): Promise<void>;
}

function closing(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
}

/** An HTTP server answering with `handler`; `path` is appended to its URL (the upstream's own path). */
export async function startUpstream(handler: (req: IncomingMessage, res: ServerResponse) => void, path = ''): Promise<TestUpstream> {
  const received: IncomingMessage[] = [];
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createHttpServer((req, res) => {
    received.push(req);
    handler(req, res);
  });
  server.on('connection', (socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}${path}`, received, connections: () => accepted, close: closing(server, sockets) };
}

/** A TCP server that accepts and then, on `behaviour` `silent`, says nothing, or on `hang-up`, closes at once. */
export async function startTcpServer(behaviour: 'silent' | 'hang-up'): Promise<{ port: number; connections(): number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createTcpServer((socket) => {
    accepted++;
    if (behaviour === 'hang-up') return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { port, connections: () => accepted, close: closing(server, sockets) };
}

/** A loopback URL nothing listens on: connections are refused. */
export async function refusingUrl(): Promise<string> {
  return `http://127.0.0.1:${await freePort()}`;
}

/** A seeded pseudo-random generator (mulberry32), for a weighted choice that runs the same every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
