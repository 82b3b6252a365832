import type { Middleware } from 'koa';

import { badRequest } from '../ob-error.ts';

// The x-idempotency-key parameter of the Read/Write API: up to 40 characters, no leading or trailing blanks.
const IDEMPOTENCY_KEY = /^(?!\s)(.*)(\S)$/;

/** POSTs that create resources must carry a well-formed `x-idempotency-key`. */
export const requireIdempotencyKey: Middleware = async function requireIdempotencyKey(ctx, next) {
  const key = ctx.get('x-idempotency-key');
  if (!key) throw badRequest('UK.OBIE.Header.Missing', 'x-idempotency-key is required', 'x-idempotency-key');
  if (key.length > 40 || !IDEMPOTENCY_KEY.test(key)) {
    throw badRequest('UK.OBIE.Header.Invalid', 'x-idempotency-key must be 1 to 40 characters without leading or trailing blanks', 'x-idempotency-key');
  }
  await next();
};
