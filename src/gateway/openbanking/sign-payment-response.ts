import type { Context, Middleware } from 'koa';

import type { MessageSigning } from '../../openbanking/http/ob-resource.deps.ts';
import { signResponseBody } from '../../openbanking/jws-signature/sign-response-body.ts';
import { renderObErrors } from '../../openbanking/ob-error-response.ts';
import type { Logger } from '../../observability/logger.ts';
import { OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from './ob-payment-resources.ts';


function isPaymentCall(ctx: Context): boolean {
  const template = ctx.state.gateway?.route?.pathTemplate;
  return template !== undefined && (OB_PAYMENT_SUBMISSIONS.has(template) || OB_PAYMENT_READS.has(template));
}

// The bank's answer comes whole (`authorisePayment` asks for it), or is one the gateway made.
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  return JSON.stringify(body);
}

/**
 * OB message signing on the payment APIs through the gateway, as on payment consents: when
 * signing is on, the bank signs every answer of a payment resource (`x-jws-signature`, a detached
 * JWS over exactly the bytes sent), its errors included, which it therefore renders here. The
 * bank core behind the gateway need not hold the bank's signing key. Account information is
 * not signed (the Read/Write API does not ask it), and keeps streaming.
 */
export function signPaymentResponse(deps: { messageSigning: MessageSigning; logger: Logger }): Middleware {
  const renderErrors = renderObErrors(deps.logger);
  return async function signPaymentResponse(ctx, next) {
    const signer = deps.messageSigning.responseSigner;
    if (!deps.messageSigning.enabled || !signer) return next();
    try {
      await next();
    } catch (error) {
      if (!isPaymentCall(ctx)) throw error;
      await renderErrors(ctx, () => Promise.reject(error));
    }
    if (!isPaymentCall(ctx) || ctx.body === undefined || ctx.body === null) return;
    const text = bodyText(ctx.body);
    ctx.set('x-jws-signature', await signResponseBody(text, signer));
    ctx.remove('Content-Length');
    ctx.type = 'application/json';
    ctx.body = text;
  };
}
