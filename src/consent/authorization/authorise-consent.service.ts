import type { ConsentContext } from '../consent-context.ts';
import { consentExpiry } from '../consent-expiry.ts';
import { CONSENT_KINDS, kindedRequestOf, newConsentId } from '../consent-kinds.ts';
import { assertTransition } from '../consent-status.ts';
import { announceStatusChange } from '../consent.service.ts';
import { changeStatus, findConsentForUpdate, insertConsent, type Consent } from '../consent.store.ts';
import type { AccountSelection } from './consent-selection.ts';
import { ConsentRefused, type PendingConsent } from './pending-consent.service.ts';

/** The id the consent will have: the intent's own, or a new one for a consent made from RAR details. */
export function consentIdFor(pending: PendingConsent): string {
  return pending.source === 'intent' ? pending.consentId : newConsentId(pending.kind);
}

export interface ConsentDecision {
  consentId: string;
  customerId: string;
  /** The grant the customer's approval produced; the consent is bound to it. */
  grantId?: string;
  selection?: AccountSelection;
}

/**
 * Records the customer's decision in one transaction: `Authorised` with the grant and the chosen
 * accounts, or `Rejected`. An intent's consent is locked and re-checked first (the partner may have
 * withdrawn it, or it may have expired, while the customer read the page); a consent from RAR
 * details is created here, already decided, so that nothing half-made is left behind.
 */
export async function decideConsent(context: ConsentContext, pending: PendingConsent, decision: ConsentDecision, outcome: 'Authorised' | 'Rejected'): Promise<Consent> {
  const family = CONSENT_KINDS[pending.kind].family;
  const now = context.clock.now();
  const decided = await context.db.transaction(async (trx) => {
    if (pending.source === 'details') {
      await insertConsent(trx, { ...kindedRequestOf(pending), id: decision.consentId, client_id: pending.clientId, expires_at: consentExpiry(pending) ?? null }, 'partner');
    } else {
      const consent = await findConsentForUpdate(trx, decision.consentId);
      if (!consent || consent.client_id !== pending.clientId || consent.status !== 'AwaitingAuthorisation' || (consent.expires_at && consent.expires_at <= now)) {
        throw new ConsentRefused('invalid_request', `consent ${decision.consentId} can no longer be authorised`);
      }
    }
    assertTransition(family, 'AwaitingAuthorisation', outcome);
    const debtor = decision.selection?.debtorAccount;
    const fields: Parameters<typeof changeStatus>[3] = outcome === 'Authorised'
      ? { customer_id: decision.customerId, grant_id: decision.grantId ?? null, account_ids: decision.selection?.accountIds ?? null, debtor_account: debtor ? { ...debtor } : null }
      : { customer_id: decision.customerId };
    return changeStatus(trx, decision.consentId, { status: outcome, actor: 'customer' }, fields);
  });
  if (pending.source === 'details') context.events.emit('consent.created', { consentId: decided.id, kind: decided.kind, clientId: decided.client_id });
  announceStatusChange(context, decided, { from: 'AwaitingAuthorisation', actor: 'customer' });
  return decided;
}
