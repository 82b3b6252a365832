import type { Middleware } from 'koa';

import type { ServiceContext } from '../../events/service-context.ts';
import { beginPaymentSubmission, failPaymentSubmission, finishPaymentSubmission } from './payment-submission.service.ts';

// The bank's answer, read whole (`authorisePayment` asked for it).
function readAnswer(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The last step before a payment submission reaches the bank: its consent becomes Consumed (or a
 * replay of the same key gets the bank's earlier answer, without a second payment); the bank's
 * answer is kept for replays and reads. When no answer comes (the bank unreachable), the
 * submission is marked so that the partner may send the same request, same key, again; the
 * consent stays consumed, and the bank core is asked with the same `x-idempotency-key`.
 */
export function executePaymentOnce(deps: { context: ServiceContext }): Middleware {
  return async function executePaymentOnce(ctx, next) {
    const call = ctx.state.gateway!;
    const payment = call.payment;
    if (!payment) return next();
    const start = await beginPaymentSubmission(deps.context, {
      clientId: call.caller!.clientId!, resource: payment.submission, idempotencyKey: payment.idempotencyKey, body: payment.body, tokenConsentId: payment.consentId,
    });
    if ('replay' in start) {
      ctx.status = start.replay.status;
      ctx.body = start.replay.body;
      ctx.set('x-idempotent-replay', 'true');
      return;
    }
    const { submissionId } = start.send;
    try {
      await next();
    } catch (error) {
      await failPaymentSubmission(deps.context, submissionId);
      throw error;
    }
    const answer = readAnswer(ctx.body);
    // A 5xx says nothing of whether the payment was made: the same request may be sent again (the
    // bank core dedups by the idempotency key); any other answer stands, for replays too.
    if (ctx.status >= 500) await failPaymentSubmission(deps.context, submissionId);
    else await finishPaymentSubmission(deps.context, submissionId, payment.submission, { status: ctx.status, body: answer });
    ctx.remove('Content-Length');
    ctx.body = answer;
  };
}
