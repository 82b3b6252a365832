import type { Context, Middleware } from 'koa';
import compose from 'koa-compose';
import type Provider from 'oidc-provider';

import type { ServiceContext } from '../../events/service-context.ts';
import type { TokenAccess } from '../../openbanking/access/verify-access-token.ts';
import type { MessageSigning } from '../../openbanking/http/ob-resource.deps.ts';
import { requireCallAudit } from '../pipeline/audit-call.ts';
import type { GatewayDeps } from '../pipeline/gateway-deps.ts';
import { forwardCall } from '../pipeline/forward-call.ts';
import { limitCall } from '../pipeline/limit-call.ts';
import { limitRequestBody } from '../pipeline/limit-request-body.ts';
import { recordCall } from '../pipeline/record-call.ts';
import { routeCall } from '../pipeline/route-call.ts';
import { authenticateFapiCall } from './authenticate-fapi-call.ts';
import { authoriseConsent } from './authorise-consent.ts';
import { authoriseFundsConfirmation, OB_FUNDS_CONFIRMATION } from './authorise-funds-confirmation.ts';
import { authorisePayment } from './authorise-payment.ts';
import { checkSubmissionSignature } from './check-submission-signature.ts';
import { executePaymentOnce } from './execute-payment-once.ts';
import { OB_PAYMENT_READS, OB_PAYMENT_SUBMISSIONS } from './ob-payment-resources.ts';
import type { ConsentLookup } from './consent-lookup.ts';
import { filterObCall } from './filter-ob-call.ts';
import { problemAsObError } from './problem-as-ob-error.ts';
import { signPaymentResponse } from './sign-payment-response.ts';

export interface ObGatewayDeps {
  gateway: GatewayDeps;
  access: TokenAccess;
  audience: string;
  clientCertificate: (ctx: Context) => string | undefined;
  consents: ConsentLookup;
  /** Where payment submissions consume their consents. */
  context: ServiceContext;
  /** The partners' registrations (their keys, for message signatures). */
  provider: Provider;
  messageSigning: MessageSigning;
}

/** Step 3, by resource: account information against the consent's permissions, payments and funds checks against their consent. */
function authoriseObCall(deps: ObGatewayDeps): Middleware {
  const accounts = authoriseConsent({ consents: deps.consents, clock: deps.gateway.clock });
  const payments = authorisePayment({ consents: deps.consents, context: deps.context });
  const fundsChecks = authoriseFundsConfirmation({ consents: deps.consents, clock: deps.gateway.clock });
  return function authoriseObCall(ctx, next) {
    const template = ctx.state.gateway!.route!.pathTemplate;
    if (template === OB_FUNDS_CONFIRMATION) return fundsChecks(ctx, next);
    return OB_PAYMENT_SUBMISSIONS.has(template) || OB_PAYMENT_READS.has(template) ? payments(ctx, next) : accounts(ctx, next);
  };
}

/**
 * The gateway's pipeline for the Open Banking resource APIs (`fapi` APIs of the catalogue) on the
 * mutual-TLS listener, inside the `/open-banking/` route table (which has already checked the
 * FAPI headers and `Accept`, and renders every error as OBErrorResponse1): route → authenticate
 * (sender-constrained token) → authorise (consent) → limit → protect → audit (when required) →
 * filter ← forward; every call of an Open Banking API is audited, and payment answers are signed.
 */
export function obGatewayPipeline(deps: ObGatewayDeps): Middleware {
  return compose([
    recordCall(deps.gateway),
    signPaymentResponse({ messageSigning: deps.messageSigning, logger: deps.gateway.logger }),
    problemAsObError,
    routeCall(deps.gateway),
    authenticateFapiCall(deps),
    authoriseObCall(deps),
    checkSubmissionSignature(deps),
    limitCall(deps.gateway),
    limitRequestBody(deps.gateway),
    requireCallAudit(deps.gateway),
    executePaymentOnce({ context: deps.context }),
    filterObCall,
    forwardCall(deps.gateway),
  ]);
}
