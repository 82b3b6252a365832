import type { Middleware } from 'koa';

import { ObError } from '../ob-error.ts';

// What partners send on nearly every call, taken as it is; an empty header is taken as none, as
// Koa's `accepts` takes it (RFC 9110 §12.5.1: no Accept, any type). Anything else is negotiated:
// `accepts` parses the header whole, a tenth of the Open Banking wrapper's time per call.
const PLAINLY_JSON = new Set(['', 'application/json', '*/*', 'application/json, */*']);

/** OB Read/Write: the APIs answer JSON only; an `Accept` that rules it out gets 406. */
export const requireJsonAccept: Middleware = function requireJsonAccept(ctx, next) {
  if (!PLAINLY_JSON.has(ctx.get('accept')) && !ctx.accepts('application/json')) {
    throw new ObError(406, [{ ErrorCode: 'UK.OBIE.Header.Invalid', Message: 'Accept must allow application/json', Path: 'Accept' }]);
  }
  return next();
};
