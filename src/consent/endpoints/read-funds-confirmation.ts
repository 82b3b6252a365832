import type { Middleware } from 'koa';

import { noStore } from '../../shared/no-store.ts';
import type { ConsentKindSpec } from '../consent-kinds.ts';
import { readConsentOfGrant } from '../consent.service.ts';
import { fundsAvailable } from '../funds-availability.service.ts';
import type { ConsentApiDependencies } from './consent-api.deps.ts';
import { requirePartnerToken } from '../../openbanking/http/require-partner-token.ts';
import { signResponse } from '../../openbanking/http/sign-response.ts';

/**
 * `GET /domestic-payment-consents/{ConsentId}/funds-confirmation`: with the access token the
 * customer's authorisation produced, whether the chosen account can cover the payment now.
 */
export function readFundsConfirmationEndpoint(deps: ConsentApiDependencies, kind: ConsentKindSpec): Middleware[] {
  const handleFundsConfirmation: Middleware = async function handleFundsConfirmation(ctx) {
    const { clientId, token } = ctx.state.partner!;
    const consent = await readConsentOfGrant(deps.consents.db, kind, clientId, ctx.params['ConsentId']!, token.grantId);
    const available = await fundsAvailable(consent, deps.accounts);
    ctx.body = {
      Data: { FundsAvailableResult: { FundsAvailableDateTime: deps.consents.clock.now().toISOString(), FundsAvailable: available } },
      Links: { Self: `${deps.baseUrl}${kind.path}/${consent.id}/funds-confirmation` },
      Meta: {},
    };
  };
  return [
    noStore,
    ...(kind.signed ? [signResponse(deps)] : []),
    requirePartnerToken(deps, { kinds: ['AccessToken'], scope: kind.scope, role: kind.role }),
    handleFundsConfirmation,
  ];
}
