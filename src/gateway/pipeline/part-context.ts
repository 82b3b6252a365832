import { IncomingMessage, ServerResponse, type IncomingHttpHeaders } from 'node:http';

import type { Context } from 'koa';

/*
 * A composite route's part is made as a request of its own to the gateway, so that the same steps
 * as a direct call judge it. It is the caller's request in all that says who calls and from where
 * (credentials, the address and forwarding headers, trace context, the interaction id), as a GET of
 * the part's path with nothing that would change what the part answers or how it is encoded. A
 * DPoP proof names the composite call's method and URL, not the part's: the caller proved there
 * that it holds its token, and the part carries that on (`provenAccessToken`).
 */

// A part has no body; its answer is read and parsed here, so it comes whole, fresh and unencoded.
const NOT_REPEATED = [
  'content-length', 'content-type', 'content-encoding', 'transfer-encoding', 'expect',
  'accept', 'accept-encoding', 'range', 'if-range', 'if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since',
];

function partHeaders(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const copied: IncomingHttpHeaders = { ...headers };
  for (const name of NOT_REPEATED) delete copied[name];
  return { ...copied, accept: 'application/json' };
}

/**
 * A Koa context for `GET path` on behalf of the caller of `ctx`, on the caller's own connection
 * (its address is the part's), answered into a response that is never sent: the aggregate step
 * reads the part's status, headers and body from the context.
 */
export function partContext(ctx: Context, path: string): Context {
  const req = new IncomingMessage(ctx.req.socket);
  req.method = 'GET';
  req.url = path;
  req.httpVersion = '1.1';
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.headers = partHeaders(ctx.req.headers);
  req.push(null);
  const part = ctx.app.createContext(req, new ServerResponse(req));
  if (ctx.state.fapiInteractionId) part.state.fapiInteractionId = ctx.state.fapiInteractionId;
  if (ctx.state.provenAccessToken) part.state.provenAccessToken = ctx.state.provenAccessToken;
  return part;
}
