import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

import { obErrorResponse } from '../openbanking/ob-error-response.ts';
import { renderView } from '../shared/render-view.ts';
import { SECURITY_HEADERS } from '../shared/security-headers.ts';
import type { ErrorFamily } from './error-family.ts';
import type { Refusal } from './refusal.ts';
import { problemBody } from '../shared/problem-response.ts';
import { refusalProblem } from './send-refusal.ts';

async function bodyOf(family: ErrorFamily, refusal: Refusal, interactionId: string): Promise<{ type: string; text: string }> {
  if (typeof family === 'object') return { type: 'application/problem+json', text: JSON.stringify(problemBody(family.problemTypeBase, refusalProblem(refusal), interactionId)) };
  switch (family) {
    case 'oauth':
      return { type: 'application/json; charset=utf-8', text: JSON.stringify({ error: 'invalid_request', error_description: refusal.description }) };
    case 'open-banking':
      // The response Id is the interaction id: there is no request log line it could point to otherwise.
      return { type: 'application/json; charset=utf-8', text: JSON.stringify(obErrorResponse(refusal.status, refusal.obErrors, interactionId)) };
    case 'browser':
      return { type: 'text/html; charset=utf-8', text: await renderView('auth/error', { message: refusal.description, code: 'invalid_request' }) };
  }
}

/**
 * Writes a whole HTTP/1.1 response for `refusal` to a socket that has no request object (Node's
 * parser refused the request, or gave up waiting for it), then ends the socket: the same body the
 * family's renderer would send, `Connection: close`, no-store, the security headers, and
 * `x-fapi-interaction-id` (a fresh one, as the request's headers could not be read). Resolves
 * false, writing nothing, when the socket is no longer writable by then.
 */
export async function writeRefusal(socket: Duplex, family: ErrorFamily, refusal: Refusal, interactionId: string): Promise<boolean> {
  const { type, text } = await bodyOf(family, refusal, interactionId);
  if (!socket.writable) return false;
  const headers = {
    'Content-Type': type,
    'Content-Length': String(Buffer.byteLength(text)),
    Connection: 'close',
    'Cache-Control': 'no-store',
    'x-fapi-interaction-id': interactionId,
    ...SECURITY_HEADERS,
  };
  const head = [`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  socket.end(`${head.join('\r\n')}\r\n\r\n${text}`);
  return true;
}
