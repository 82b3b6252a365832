import type { Middleware } from 'koa';

import { signResponseBody } from '../jws-signature/sign-response-body.ts';
import type { ConsentApiDependencies } from './consent-api.deps.ts';

/**
 * Signs a successful JSON response with the bank's key (`x-jws-signature`), sending exactly the
 * bytes signed. Errors are not signed: they are rendered further out, after this has run.
 */
export function signResponse(deps: ConsentApiDependencies): Middleware {
  return async function signResponse(ctx, next) {
    await next();
    const signer = deps.messageSigning.responseSigner;
    if (!deps.messageSigning.enabled || !signer || ctx.body === undefined || ctx.body === null) return;
    const text = JSON.stringify(ctx.body);
    ctx.set('x-jws-signature', await signResponseBody(text, signer));
    ctx.type = 'application/json';
    ctx.body = text;
  };
}
