import type { Middleware } from 'koa';

import type { Consent } from '../../consent/consent.store.ts';
import { ObError } from '../../openbanking/ob-error.ts';
import type { Clock } from '../../shared/clock.ts';
import type { ConsentLookup } from './consent-lookup.ts';
import { describeRule, meetsRule, OB_ACCOUNT_RESOURCES } from './ob-account-permissions.ts';

const forbidden = (code: 'UK.OBIE.Resource.InvalidConsentStatus' | 'UK.OBIE.Resource.ConsentMismatch', message: string) => new ObError(403, [{ ErrorCode: code, Message: message }]);

/**
 * Step 3 for Open Banking account resources: the token's consent is an account access consent of
 * this partner, `Authorised` and unexpired; its Permissions cover the route (one table,
 * `ob-account-permissions.ts`); an account in the path is one the customer chose. The route's
 * scope is the token's. What the consent allows (accounts, Permissions, transaction period) is kept
 * for the response filter and told to the upstream, which answers by it.
 */
export function authoriseConsent(deps: { consents: ConsentLookup; clock: Clock }): Middleware {
  return async function authoriseConsent(ctx, next) {
    const call = ctx.state.gateway!;
    const caller = call.caller!;
    const route = call.route!;
    for (const scope of route.policy.scopes ?? []) {
      if (!caller.scopes.has(scope)) throw forbidden('UK.OBIE.Resource.ConsentMismatch', `The access token does not carry the ${scope} scope`);
    }
    const resource = OB_ACCOUNT_RESOURCES.get(route.pathTemplate);
    if (!resource) throw new ObError(404, [{ ErrorCode: 'UK.OBIE.Resource.NotFound', Message: `${ctx.method} ${ctx.path} is not an account resource of this bank` }]);
    const consent: Consent | undefined = caller.consentId ? await deps.consents.byId(caller.consentId) : call.grantId ? await deps.consents.byGrant(call.grantId) : undefined;
    if (!consent || consent.kind !== 'account-access' || consent.client_id !== caller.clientId) {
      throw forbidden('UK.OBIE.Resource.ConsentMismatch', 'The access token is not for an account access consent of this client');
    }
    if (consent.status !== 'Authorised') throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', `The consent is ${consent.status}, not Authorised`);
    if (consent.expires_at && consent.expires_at.getTime() <= deps.clock.now().getTime()) {
      throw forbidden('UK.OBIE.Resource.InvalidConsentStatus', 'The consent has expired');
    }
    const permissions = new Set<string>(consent.request.Data.Permissions);
    if (!meetsRule(permissions, resource.rule)) {
      throw forbidden('UK.OBIE.Resource.ConsentMismatch', `The consent's Permissions do not cover this resource: it needs ${describeRule(resource.rule)}`);
    }
    const accountIds = consent.account_ids ?? [];
    const pathAccount = call.params['AccountId'];
    if (pathAccount !== undefined && !accountIds.includes(pathAccount)) {
      throw forbidden('UK.OBIE.Resource.ConsentMismatch', 'The account is not one the customer chose for this consent');
    }
    caller.consentId = consent.id;
    caller.accountIds = accountIds;
    caller.permissions = consent.request.Data.Permissions;
    const { TransactionFromDateTime: from, TransactionToDateTime: to } = consent.request.Data;
    caller.transactionPeriod = { ...(from !== undefined && { from }), ...(to !== undefined && { to }) };
    call.obView = { resource, consent: { permissions, accountIds: new Set(accountIds) } };
    await next();
  };
}
