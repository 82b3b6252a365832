import type { Middleware } from 'koa';

import type { ServiceContext } from '../../events/service-context.ts';
import { ObError, badRequest } from '../../openbanking/ob-error.ts';
import { keptBody } from '../../shared/read-raw-body.ts';
import type { ConsentLookup } from './consent-lookup.ts';
import { readWholeAnswer } from '../pipeline/gateway-state.ts';
import { MAX_PAYMENT_ANSWER_BYTES, OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from './ob-payment-resources.ts';
import { paymentOfClient, type PaymentSubmissionBody } from './payment-submission.service.ts';

// The Read/Write API's x-idempotency-key: up to 40 characters, no leading or trailing blanks.
const IDEMPOTENCY_KEY = /^(?!\s).{0,39}\S$/;

/**
 * Step 3 for Open Banking payments. A submission: the token's scope, a well-formed
 * `x-idempotency-key`, a JSON body naming the token's consent (whether it still may pay is decided
 * when it is consumed, `executePaymentOnce`). A read of a payment: a payment this client's
 * submission made (another client's is reported as missing). Either's answer is read whole, to be
 * kept (a submission's) and signed.
 */
export function authorisePayment(deps: { consents: ConsentLookup; context: Pick<ServiceContext, 'db'> }): Middleware {
  return async function authorisePayment(ctx, next) {
    const call = ctx.state.gateway!;
    const caller = call.caller!;
    const route = call.route!;
    for (const scope of route.policy.scopes ?? []) {
      if (!caller.scopes.has(scope)) throw new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: `The access token does not carry the ${scope} scope` }]);
    }
    const submission = ctx.method === 'POST' ? OB_PAYMENT_SUBMISSIONS.get(route.pathTemplate) : undefined;
    if (submission) {
      const key = ctx.get('x-idempotency-key');
      if (!key) throw badRequest('UK.OBIE.Header.Missing', 'x-idempotency-key is required', 'x-idempotency-key');
      if (!IDEMPOTENCY_KEY.test(key)) throw badRequest('UK.OBIE.Header.Invalid', 'x-idempotency-key must be 1 to 40 characters without leading or trailing blanks', 'x-idempotency-key');
      const text = keptBody(ctx.req);
      let body: PaymentSubmissionBody;
      try {
        body = JSON.parse(text ?? '') as PaymentSubmissionBody;
      } catch {
        throw badRequest('UK.OBIE.Resource.InvalidFormat', 'The request body must be a JSON payment submission');
      }
      const consent = caller.consentId ? await deps.consents.byId(caller.consentId) : call.grantId ? await deps.consents.byGrant(call.grantId) : undefined;
      if (!consent || consent.client_id !== caller.clientId) throw new ObError(403, [{ ErrorCode: 'UK.OBIE.Resource.ConsentMismatch', Message: 'The access token is not for a payment consent of this client' }]);
      caller.consentId = consent.id;
      if (consent.account_ids) caller.accountIds = consent.account_ids;
      call.payment = { submission, idempotencyKey: key, body, consentId: consent.id };
      readWholeAnswer(call, MAX_PAYMENT_ANSWER_BYTES);
      return next();
    }
    const read = ctx.method === 'GET' ? OB_PAYMENT_READS.get(route.pathTemplate) : undefined;
    if (read) {
      const paymentId = call.params[read.param]!;
      if (!(await paymentOfClient(deps.context, caller.clientId!, paymentId))) {
        throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `No payment ${paymentId} exists for this client` }]);
      }
      readWholeAnswer(call, MAX_PAYMENT_ANSWER_BYTES);
      return next();
    }
    throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not a payment resource of this bank` }]);
  };
}
