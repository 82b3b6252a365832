import type { Context } from 'koa';

import type { Refusal } from './refusal.ts';

const MISSING_HOST: Refusal = {
  status: 400,
  description: 'the Host header is required',
  obErrors: [{ ErrorCode: 'UK.OBIE.Header.Missing', Message: 'The Host header is required', Path: 'Host' }],
};

/**
 * RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header. Node would
 * send a bare 400 itself; `createListener` turns that off so that the listener answers in the
 * endpoint's own format. The refusal for such a request, else undefined.
 */
export function missingHostRefusal(ctx: Context): Refusal | undefined {
  return ctx.req.httpVersion === '1.1' && ctx.req.headers.host === undefined ? MISSING_HOST : undefined;
}
