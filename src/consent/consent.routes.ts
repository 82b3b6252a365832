import type Router from '@koa/router';

import type { ObRoutes } from '../openbanking/open-banking-api.ts';
import { CONSENT_KINDS } from './consent-kinds.ts';
import type { ConsentApiDependencies } from './endpoints/consent-api.deps.ts';
import { createConsentEndpoint } from './endpoints/create-consent.ts';
import { deleteConsentEndpoint } from './endpoints/delete-consent.ts';
import { readConsentEndpoint } from './endpoints/read-consent.ts';
import { readFundsConfirmationEndpoint } from './endpoints/read-funds-confirmation.ts';

/**
 * The partner-facing consent API (OB Read/Write v3.1.11), in the `/open-banking/` route table of
 * the mutual-TLS listener (`openBankingApi`, which also answers what no route matches):
 *
 * | path | methods |
 * | --- | --- |
 * | /open-banking/v3.1/aisp/account-access-consents[/{ConsentId}] | POST, GET, DELETE |
 * | /open-banking/v3.1/pisp/domestic-payment-consents[/{ConsentId}] | POST, GET |
 * | /open-banking/v3.1/pisp/domestic-payment-consents/{ConsentId}/funds-confirmation | GET |
 * | /open-banking/v3.1/pisp/domestic-scheduled-payment-consents[/{ConsentId}] | POST, GET |
 * | /open-banking/v3.1/pisp/domestic-standing-order-consents[/{ConsentId}] | POST, GET |
 * | /open-banking/v3.1/cbpii/funds-confirmation-consents[/{ConsentId}] | POST, GET, DELETE |
 */
export function consentRoutes(deps: ConsentApiDependencies): ObRoutes {
  return function addConsentRoutes(router: Router) {
    for (const kind of Object.values(CONSENT_KINDS)) {
      router.post(kind.path, ...createConsentEndpoint(deps, kind));
      router.get(`${kind.path}/:ConsentId`, ...readConsentEndpoint(deps, kind));
      if (kind.deletable) router.delete(`${kind.path}/:ConsentId`, ...deleteConsentEndpoint(deps, kind));
    }
    const payments = CONSENT_KINDS['domestic-payment'];
    router.get(`${payments.path}/:ConsentId/funds-confirmation`, ...readFundsConfirmationEndpoint(deps, payments));
  };
}
