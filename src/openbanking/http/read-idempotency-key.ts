import type { Middleware } from 'koa';

import { badRequest } from '../ob-error.ts';

// The x-idempotency-key parameter of the Read/Write API: up to 40 characters, no leading or trailing blanks.
const IDEMPOTENCY_KEY = /^(?!\s)(.*)(\S)$/;

/**
 * Reads a well-formed `x-idempotency-key` into `ctx.state.idempotencyKey`. OB Read/Write v3.1.11
 * lists the header on the payment consent POSTs only: those must carry it (`required`); the
 * account-access and funds-confirmation POSTs honour it when sent and work without it.
 */
export function readIdempotencyKey(required: boolean): Middleware {
  return function readIdempotencyKey(ctx, next) {
    const key = ctx.get('x-idempotency-key');
    if (!key && required) throw badRequest('UK.OBIE.Header.Missing', 'x-idempotency-key is required', 'x-idempotency-key');
    if (key && (key.length > 40 || !IDEMPOTENCY_KEY.test(key))) {
      throw badRequest('UK.OBIE.Header.Invalid', 'x-idempotency-key must be 1 to 40 characters without leading or trailing blanks', 'x-idempotency-key');
    }
    if (key) ctx.state.idempotencyKey = key;
    return next();
  };
}
