import type { Middleware } from 'koa';

import { ObError } from '../ob-error.ts';

/** OB Read/Write: the APIs answer JSON only; an `Accept` that rules it out gets 406. */
export const requireJsonAccept: Middleware = function requireJsonAccept(ctx, next) {
  if (!ctx.accepts('application/json')) {
    throw new ObError(406, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'Accept must allow application/json', Path: 'Accept' }]);
  }
  return next();
};
