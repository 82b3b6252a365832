import type { RequestListener } from 'node:http';
import { createServer, type Server, type ServerOptions } from 'node:https';

import type { ListenerLimits } from '../config/config.ts';
import type { Logger } from '../observability/logger.ts';
import { answerClientErrors } from './answer-client-errors.ts';
import type { ErrorFamilyOf } from './error-family.ts';

const milliseconds = (seconds: number) => Math.round(seconds * 1000);

export interface ListenerPolicy {
  limits: ListenerLimits;
  /** The error format of a path, for requests refused before the app sees them. */
  familyOf: ErrorFamilyOf;
  logger: Logger;
}

/**
 * An HTTPS listener that bounds how long and how many connections it holds (`defaults.listeners`
 * gives each limit and why): a client that is slow to shake hands, to send its headers or its
 * body, or that sits idle after a response, loses its socket; connections past the cap are closed
 * as soon as they are accepted. No bare answer of Node's leaves it: parser errors and timeouts are
 * answered in the listener's error format (`answerClientErrors`), a missing Host by the app
 * (`missingHostRefusal`), and an `Expect` other than `100-continue` is ignored, as RFC 9110 §10.1.1
 * allows, rather than answered with a bare 417.
 */
export function createListener(tls: ServerOptions, handle: RequestListener, policy: ListenerPolicy): Server {
  const { limits } = policy;
  const server = createServer({
    ...tls,
    handshakeTimeout: milliseconds(limits.tlsHandshakeTimeout),
    headersTimeout: milliseconds(limits.headersTimeout),
    requestTimeout: milliseconds(limits.requestTimeout),
    keepAliveTimeout: milliseconds(limits.keepAliveTimeout),
    connectionsCheckingInterval: milliseconds(limits.timeoutCheckInterval),
    requireHostHeader: false,
  }, handle);
  server.maxConnections = limits.maxConnections;
  server.on('checkExpectation', handle);
  answerClientErrors(server, policy.familyOf, policy.logger);
  return server;
}
