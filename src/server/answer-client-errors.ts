import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from 'node:https';
import type { Duplex } from 'node:stream';

import type { Logger } from '../observability/logger.ts';
import type { ErrorFamilyOf } from './error-family.ts';
import type { Refusal } from './refusal.ts';
import { writeRefusal } from './write-refusal.ts';

// After answering, the socket stays readable this long before it is destroyed: long enough for the
// client to read the answer (destroying a socket with unread input sends a reset, which can make
// the client drop the answer unread), short enough that a client cannot hold the connection.
const LINGER_MS = 1000;

type ParserError = Error & { code?: string; rawPacket?: Buffer };

/** What Node's parser errors mean (the statuses its own bare answers use). */
function refusalFor(code: string | undefined): Refusal {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, description: 'request headers too large', obErrors: [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'The request headers are too large' }] };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, description: 'request chunk extensions too large', obErrors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request body chunk extensions are too large' }] };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, description: 'request not received in time', obErrors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request was not received in time' }] };
    default:
      return { status: 400, description: 'request could not be parsed', obErrors: [{ ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: 'The request is not valid HTTP/1.1' }] };
  }
}

/** The path of the request line at the start of `packet`, when the parser's chunk begins with one. */
function requestLinePath(packet: Buffer | undefined): string | undefined {
  const target = packet && /^[A-Z]+ (\/\S*) HTTP\/1\.[01]\r\n/.exec(packet.subarray(0, 8192).toString('latin1'))?.[1];
  return target?.split('?')[0];
}

/**
 * Answers what Node's HTTP parser refuses (malformed requests 400, oversized headers 431, requests
 * not received within `headersTimeout` / `requestTimeout` 408) in the listener's error format,
 * where Node would send a bare status line. The path picks the family when it can be known: from
 * the request in progress (a late body), or the request line at the start of the refused chunk (a
 * malformed request that fits one TLS record). Oversized headers never show it: a TLS record holds
 * at most 16 KiB, Node's header limit, so they overflow in a later record. Without a path the
 * listener's default family answers.
 * Nothing is written while a response is being written, after one for the refused request itself,
 * or to a socket that is no longer writable: those sockets are destroyed, as Node does.
 */
export function answerClientErrors(server: Server, familyOf: ErrorFamilyOf, logger: Logger): void {
  const lastResponse = new WeakMap<Duplex, ServerResponse>();
  const answered = new WeakSet<Duplex>();
  const forget = (socket: Duplex, res: ServerResponse) => {
    if (lastResponse.get(socket) === res) lastResponse.delete(socket);
  };
  // A response sent in full, for a request read in full, decides nothing below: it is let go then,
  // and with it everything its call held (request, response, the upstream call's objects). Kept
  // until the connection's next request instead, every idle keep-alive connection held its last
  // call: memory that grew with the connections a server keeps open.
  const track = (req: IncomingMessage, res: ServerResponse) => {
    lastResponse.set(req.socket, res);
    res.once('finish', () => {
      if (req.complete) forget(req.socket, res);
      else req.once('end', () => forget(req.socket, res));
    });
  };
  server.prependListener('request', track);
  server.prependListener('checkExpectation', track);

  server.on('clientError', (error: ParserError, socket: Duplex) => {
    // The parser goes on refusing what still arrives on a socket being answered; one answer is enough.
    if (answered.has(socket)) return;
    answered.add(socket);
    const last = lastResponse.get(socket);
    // The refused bytes are the rest of `last`'s request while its body is still arriving.
    const refusedRequest = last && !last.req.complete ? last.req : undefined;
    // A response being written, or one already sent for the very request now refused: another
    // answer would corrupt or contradict it.
    const spoken = last !== undefined && last.headersSent && (!last.writableFinished || refusedRequest !== undefined);
    if (error.code === 'ECONNRESET' || !socket.writable || spoken) {
      socket.destroy();
      return;
    }
    const refusal = refusalFor(error.code);
    const path = refusedRequest?.url?.split('?')[0] ?? requestLinePath(error.rawPacket);
    const interactionId = randomUUID();
    logger.info({ code: error.code, status: refusal.status, path, interactionId }, 'listener.client_error');
    writeRefusal(socket, familyOf(path ?? ''), refusal, interactionId)
      .then((written) => {
        if (written) setTimeout(() => socket.destroy(), LINGER_MS).unref();
        else socket.destroy();
      })
      .catch((cause: unknown) => {
        logger.error({ err: cause, interactionId }, 'listener.client_error_failed');
        socket.destroy();
      });
  });
}
