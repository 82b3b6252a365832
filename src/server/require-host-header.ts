import type { Middleware } from 'koa';

import type { Logger } from '../observability/logger.ts';
import type { ErrorFamilyOf } from './error-family.ts';
import type { Refusal } from './refusal.ts';
import { sendRefusal } from './send-refusal.ts';

const MISSING_HOST: Refusal = {
  status: 400,
  description: 'the Host header is required',
  obErrors: [{ ErrorCode: 'UK.OBIE.Header.Missing', Message: 'The Host header is required', Path: 'Host' }],
};

/**
 * RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header. Node would
 * send a bare 400 itself; `createListener` turns that off so that this answers in the endpoint's
 * own format.
 */
export function requireHostHeader(familyOf: ErrorFamilyOf, logger: Logger): Middleware {
  return async function requireHostHeader(ctx, next) {
    if (ctx.req.httpVersion === '1.1' && ctx.req.headers.host === undefined) return sendRefusal(ctx, familyOf(ctx.path), MISSING_HOST, logger);
    await next();
  };
}
