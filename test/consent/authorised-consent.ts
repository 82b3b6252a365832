import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { CONSENT_KINDS, kinded, type KindedRequest } from '../../src/consent/consent-kinds.ts';
import type { ConsentStatus } from '../../src/consent/consent-status.ts';
import { consentExpiry } from '../../src/consent/consent-expiry.ts';
import { changeStatus, insertConsent, type Consent } from '../../src/consent/consent.store.ts';
import { accountAccessBody, domesticPaymentBody, fundsConfirmationBody } from './consent-bodies.ts';

export interface ConsentSetup {
  clientId: string;
  /** Default `account-access`; ignored when `consent` is given. */
  kind?: 'account-access' | 'domestic-payment' | 'funds-confirmation';
  /** Default `Authorised`; `AwaitingAuthorisation` leaves it as the partner created it. */
  status?: ConsentStatus;
  /** The request and its kind; default a valid body of `kind`. */
  consent?: KindedRequest;
  /** An AIS consent's accounts; default Alice's current account. */
  accountIds?: string[];
  /** Default a random id that no grant has. */
  grantId?: string;
}

function defaultRequest(kind: NonNullable<ConsentSetup['kind']>): KindedRequest {
  if (kind === 'funds-confirmation') return kinded(kind, fundsConfirmationBody());
  if (kind === 'domestic-payment') return kinded(kind, domesticPaymentBody());
  return kinded(kind, accountAccessBody());
}

/**
 * A consent of the customer's, set up through the store as the consent journey records it:
 * inserted by the partner, then moved in one transaction with its customer, grant and accounts (a
 * CBPII consent's debtor account is the one its body names).
 */
export async function authorisedConsent(db: Knex, customerId: string, setup: ConsentSetup): Promise<Consent> {
  const consent = setup.consent ?? defaultRequest(setup.kind ?? 'account-access');
  return db.transaction(async (trx) => {
    const row = await insertConsent(trx, {
      ...consent,
      id: `${CONSENT_KINDS[consent.kind].idPrefix}${randomUUID()}`,
      client_id: setup.clientId,
      expires_at: consentExpiry(consent) ?? null,
    }, 'partner');
    const status = setup.status ?? 'Authorised';
    if (status === 'AwaitingAuthorisation') return row;
    return changeStatus(trx, row.id, { status, actor: 'customer' }, {
      customer_id: customerId,
      grant_id: setup.grantId ?? randomUUID(),
      ...(consent.kind === 'account-access' ? { account_ids: setup.accountIds ?? ['acc-0001-current'] } : {}),
      ...(consent.kind === 'funds-confirmation' ? { debtor_account: consent.request.Data.DebtorAccount } : {}),
    });
  });
}
