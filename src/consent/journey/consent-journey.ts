import { decideConsent, consentIdFor } from '../authorization/authorise-consent.service.ts';
import { readAuthorizationConsentRequest } from '../authorization/authorization-consent-request.ts';
import { accountChoiceFor, readSelection, type AccountChoice } from '../authorization/consent-selection.ts';
import { pendingConsentFor, type PendingConsent } from '../authorization/pending-consent.service.ts';
import type { ConsentContext } from '../consent-context.ts';
import { consentExpiry } from '../consent-expiry.ts';
import type { CustomerAccounts } from '../customer-accounts.ts';
import type { RevokeGrant } from '../consent.service.ts';
import { describeConsent, type ConsentDescription } from './describe-consent.ts';

/** What the consent page shows for one consent and customer. */
export interface ConsentPage {
  description: ConsentDescription;
  choice: AccountChoice;
}

/**
 * The consent side of the customer's authorization journey, as the interaction pages use it
 * (they own the browser and oidc-provider; this owns the consent): which consent an
 * authorization is for, what to show, and recording the decision.
 */
export interface ConsentJourney {
  /** Throws `ConsentRefused` for an authorization that must not reach the customer. */
  prepare(params: Record<string, unknown>): Promise<PendingConsent | undefined>;
  page(pending: PendingConsent, customerId: string): Promise<ConsentPage>;
  /**
   * Checks the customer's choice (`SelectionInvalid`), has the grant saved for the consent
   * (`saveGrant`: its id, and when it expires, which the grant must not outlive), then authorises
   * the consent bound to it. If the consent can no longer be
   * authorised the grant is revoked again and `ConsentRefused` thrown.
   */
  approve(pending: PendingConsent, customerId: string, form: Readonly<Record<string, string>>, saveGrant: (consent: { id: string; expiresAt?: Date }) => Promise<string>): Promise<void>;
  /** Records the refusal: the consent becomes `Rejected`. */
  deny(pending: PendingConsent, customerId: string): Promise<void>;
}

export function consentJourney(context: ConsentContext, accounts: CustomerAccounts, revokeGrant: RevokeGrant): ConsentJourney {
  return {
    prepare: (params) => pendingConsentFor(context, readAuthorizationConsentRequest(params)),
    async page(pending, customerId) {
      return { description: describeConsent(pending), choice: accountChoiceFor(pending, await accounts.listAccounts(customerId)) };
    },
    async approve(pending, customerId, form, saveGrant) {
      const selection = readSelection(accountChoiceFor(pending, await accounts.listAccounts(customerId)), form);
      const consentId = consentIdFor(pending);
      const expiresAt = consentExpiry(pending);
      const grantId = await saveGrant(expiresAt ? { id: consentId, expiresAt } : { id: consentId });
      try {
        await decideConsent(context, pending, { consentId, customerId, grantId, selection }, 'Authorised');
      } catch (error) {
        await revokeGrant(context.db, grantId);
        context.events.emit('grant.revoked', { grantId, reason: 'authorisation_abandoned' });
        throw error;
      }
    },
    async deny(pending, customerId) {
      await decideConsent(context, pending, { consentId: consentIdFor(pending), customerId }, 'Rejected');
    },
  };
}
