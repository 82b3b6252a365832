import type { Middleware } from 'koa';

import { signResponseBody } from '../jws-signature/sign-response-body.ts';
import { renderObErrors } from '../ob-error-response.ts';
import type { ObResourceDependencies } from './ob-resource.deps.ts';

/**
 * Signs the JSON response with the bank's key (`x-jws-signature`), sending exactly the bytes
 * signed. The Read/Write API asks for signed error responses (400, 403, 500) too, so this wraps
 * its own error rendering: whatever the steps after it answer, it signs.
 */
export function signResponse(deps: ObResourceDependencies): Middleware {
  const renderErrors = renderObErrors(deps.logger);
  return async function signResponse(ctx, next) {
    await renderErrors(ctx, next);
    const signer = deps.messageSigning.responseSigner;
    if (!deps.messageSigning.enabled || !signer || ctx.body === undefined || ctx.body === null) return;
    const text = JSON.stringify(ctx.body);
    ctx.set('x-jws-signature', await signResponseBody(text, signer));
    ctx.type = 'application/json';
    ctx.body = text;
  };
}
