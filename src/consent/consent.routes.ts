import Router from '@koa/router';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

import type { Logger } from '../observability/logger.ts';
import { CONSENT_KINDS } from './consent-kinds.ts';
import { checkFapiHeaders } from './endpoints/check-fapi-headers.ts';
import { createConsentEndpoint } from './endpoints/create-consent.ts';
import type { ConsentApiDependencies } from './endpoints/consent-api.deps.ts';
import { deleteConsentEndpoint } from './endpoints/delete-consent.ts';
import { readConsentEndpoint } from './endpoints/read-consent.ts';
import { readFundsConfirmationEndpoint } from './endpoints/read-funds-confirmation.ts';
import { requireJsonAccept } from './endpoints/require-json-accept.ts';
import { ObError } from './ob-error.ts';
import { renderObErrors } from './ob-error-response.ts';

/**
 * The partner-facing consent API (OB Read/Write v3.1.11), on the mutual-TLS listener:
 *
 * | path | methods |
 * | --- | --- |
 * | /open-banking/v3.1/aisp/account-access-consents[/{ConsentId}] | POST, GET, DELETE |
 * | /open-banking/v3.1/pisp/domestic-payment-consents[/{ConsentId}] | POST, GET |
 * | /open-banking/v3.1/pisp/domestic-payment-consents/{ConsentId}/funds-confirmation | GET |
 * | /open-banking/v3.1/pisp/domestic-scheduled-payment-consents[/{ConsentId}] | POST, GET |
 * | /open-banking/v3.1/pisp/domestic-standing-order-consents[/{ConsentId}] | POST, GET |
 * | /open-banking/v3.1/cbpii/funds-confirmation-consents[/{ConsentId}] | POST, GET, DELETE |
 *
 * Every answer is JSON (an `Accept` that rules it out gets 406). Every failure under `/open-banking/`, including a method a path does not have and a path that
 * is not there (404, as the Read/Write API asks for endpoints a bank has not implemented), answers
 * in OBErrorResponse1. Other paths pass through.
 */
export function consentApi(deps: ConsentApiDependencies, logger: Logger): Middleware {
  const router = new Router();
  for (const kind of Object.values(CONSENT_KINDS)) {
    router.post(kind.path, ...createConsentEndpoint(deps, kind));
    router.get(`${kind.path}/:ConsentId`, ...readConsentEndpoint(deps, kind));
    if (kind.deletable) router.delete(`${kind.path}/:ConsentId`, ...deleteConsentEndpoint(deps, kind));
  }
  const payments = CONSENT_KINDS['domestic-payment'];
  router.get(`${payments.path}/:ConsentId/funds-confirmation`, ...readFundsConfirmationEndpoint(deps, payments));
  const api = compose([renderObErrors(logger), requireJsonAccept, checkFapiHeaders, router.routes() as Middleware, router.allowedMethods({ throw: true }) as Middleware, notImplemented]);
  return async function consentApi(ctx, next) {
    if (!ctx.path.startsWith('/open-banking/')) return next();
    await api(ctx, next);
  };
}

// Runs when no route handled the request. A path known for other methods is left to
// allowedMethods, which answers 405 once this returns; any other path is not ours.
const notImplemented: Middleware = async function notImplemented(ctx) {
  if (ctx.matched?.length) return;
  throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not an endpoint of this bank` }]);
};
