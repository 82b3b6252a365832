import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';

import { csrfTokenMatches } from '../../shared/csrf-token.ts';

export function checkCsrf(secret: Buffer): Middleware {
  return async function checkCsrf(ctx, next) {
    if (!csrfTokenMatches(secret, ctx.state.interaction!.uid, ctx.state.form?.['csrf'])) {
      throw new errors.InvalidRequest('this form has expired; go back and try again');
    }
    await next();
  };
}
