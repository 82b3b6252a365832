import type { Middleware } from 'koa';

import { ObError, badRequest } from '../../openbanking/ob-error.ts';
import type { Clock } from '../../shared/clock.ts';
import { keptBody } from '../../shared/read-raw-body.ts';
import type { ConsentLookup } from './consent-lookup.ts';

/** The CBPII resource of the Read/Write API v3.1.11, relative to `/open-banking/v3.1/cbpii`. */
export const OB_FUNDS_CONFIRMATION = '/funds-confirmations';

const forbidden = (code: 'UK.OBIE.Resource.InvalidConsentStatus' | 'UK.OBIE.Resource.ConsentMismatch', message: string) => new ObError(403, [{ ErrorCode: code, Message: message }]);

function consentIdOf(text: string | undefined): unknown {
  try {
    return (JSON.parse(text ?? '') as { Data?: { ConsentId?: unknown } } | null)?.Data?.ConsentId;
  } catch {
    throw badRequest('UK.OBIE.Resource.InvalidFormat', 'The request body must be a JSON OBFundsConfirmation1');
  }
}

/**
 * Step 3 for a card-based payment instrument issuer's funds check (`POST /funds-confirmations`):
 * the token's consent is a funds confirmation consent of this partner, `Authorised` and unexpired,
 * and the body names it in `Data.ConsentId`. The bank core is told the one account the customer
 * let be checked; whether its funds cover the amount is its answer.
 */
export function authoriseFundsConfirmation(deps: { consents: ConsentLookup; clock: Clock }): Middleware {
  return async function authoriseFundsConfirmation(ctx, next) {
    const call = ctx.state.gateway!;
    const caller = call.caller!;
    for (const scope of call.route!.policy.scopes ?? []) {
      if (!caller.scopes.has(scope)) throw forbidden('UK.OBIE.Resource.ConsentMismatch', `The access token does not carry the ${scope} scope`);
    }
    if (ctx.method !== 'POST') throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not a funds confirmation resource of this bank` }]);
    const consent = caller.consentId ? await deps.consents.byId(caller.consentId) : call.grantId ? await deps.consents.byGrant(call.grantId) : undefined;
    if (!consent || consent.kind !== 'funds-confirmation' || consent.client_id !== caller.clientId) {
      throw forbidden('UK.OBIE.Resource.ConsentMismatch', 'The access token is not for a funds confirmation consent of this client');
    }
    if (consent.status !== 'Authorised') throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', `The consent is ${consent.status}, not Authorised`);
    if (consent.expires_at && consent.expires_at.getTime() <= deps.clock.now().getTime()) {
      throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', 'The consent has expired');
    }
    if (consentIdOf(keptBody(ctx.req)) !== consent.id) {
      throw badRequest('UK.OBIE.Resource.ConsentMismatch', "Data.ConsentId must be the access token's consent", 'Data.ConsentId');
    }
    caller.consentId = consent.id;
    caller.accountIds = consent.account_ids ?? [];
    await next();
  };
}
