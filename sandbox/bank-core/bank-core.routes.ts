import Router from '@koa/router';
import type { Knex } from 'knex';
import type { Middleware } from 'koa';
import compose from 'koa-compose';

import { OB_ACCOUNT_RESOURCES } from '../../src/gateway/openbanking/ob-account-permissions.ts';
import { ObError } from '../../src/openbanking/ob-error.ts';
import { refuseOtherMethods } from '../../src/openbanking/open-banking-api.ts';
import type { Clock } from '../../src/shared/clock.ts';
import { readAccountResource } from './accounts/read-account-resource.ts';
import { fundsConfirmationEndpoint } from './funds/funds-confirmation.endpoint.ts';
import { PAYMENT_KINDS } from './payments/payment-kinds.ts';
import { readPaymentDetailsEndpoint, readPaymentEndpoint, submitPaymentEndpoint } from './payments/payment.endpoints.ts';

export interface BankCoreRouteDeps {
  db: Knex;
  clock: Clock;
  slowAnswerMs: number;
}

/** `/accounts/{AccountId}/statements/{StatementId}` → `/accounts/:AccountId/statements/:StatementId`. */
const routerPath = (template: string) => template.replace(/\{(\w+)\}/g, ':$1');

/**
 * Every path of the bank core, relative to the gateway's base paths (its APIs forward the path
 * after `/open-banking/v3.1/aisp`, `/pisp` and `/cbpii`):
 *
 * | path | method |
 * | --- | --- |
 * | every Account and Transaction resource of `OB_ACCOUNT_RESOURCES` (offers and statement files: 404, not offered) | GET |
 * | /domestic-payments, /domestic-scheduled-payments, /domestic-standing-orders | POST |
 * | the same `/{PaymentId}` and `/{PaymentId}/payment-details` | GET |
 * | /funds-confirmations | POST |
 *
 * Another method of a known path is 405 with `Allow`; any other path, 404.
 */
export function bankCoreRoutes(deps: BankCoreRouteDeps): Middleware {
  const router = new Router();
  for (const template of OB_ACCOUNT_RESOURCES.keys()) router.get(routerPath(template), readAccountResource(deps, template));
  for (const spec of Object.values(PAYMENT_KINDS)) {
    router.post(spec.path, ...submitPaymentEndpoint(deps, spec));
    router.get(`${spec.path}/:PaymentId`, readPaymentEndpoint(deps, spec));
    router.get(`${spec.path}/:PaymentId/payment-details`, readPaymentDetailsEndpoint(deps, spec));
  }
  router.post('/funds-confirmations', ...fundsConfirmationEndpoint(deps));
  return compose([router.routes() as Middleware, refuseOtherMethods, router.allowedMethods() as Middleware, refuseUnknownPath]);
}

// Runs when no route handled the request: a path known for other methods is left to
// allowedMethods, which marks it 405 once this returns.
const refuseUnknownPath: Middleware = async function refuseUnknownPath(ctx) {
  if (ctx.matched?.length) return;
  throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not a resource of this bank` }]);
};
