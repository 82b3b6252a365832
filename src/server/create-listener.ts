import type { RequestListener } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';

import type { ListenerLimits } from '../config/config.ts';

const milliseconds = (seconds: number) => Math.round(seconds * 1000);

/**
 * An HTTPS listener that bounds how long and how many connections it holds (`defaults.listeners`
 * gives each limit and why): a client that is slow to shake hands, to send its headers or its
 * body, or that sits idle after a response, loses its socket; connections past the cap are closed
 * as soon as they are accepted.
 */
export function createListener(tls: ServerOptions, handle: RequestListener, limits: ListenerLimits): Server {
  const server = createServer({
    ...tls,
    handshakeTimeout: milliseconds(limits.tlsHandshakeTimeout),
    headersTimeout: milliseconds(limits.headersTimeout),
    requestTimeout: milliseconds(limits.requestTimeout),
    keepAliveTimeout: milliseconds(limits.keepAliveTimeout),
    connectionsCheckingInterval: milliseconds(limits.timeoutCheckInterval),
  }, handle);
  server.maxConnections = limits.maxConnections;
  return server;
}
