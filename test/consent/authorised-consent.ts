import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { CONSENT_KINDS, type ConsentKind } from '../../src/consent/consent-kinds.ts';
import type { ConsentStatus } from '../../src/consent/consent-status.ts';
import { changeStatus, insertConsent, type ConsentRow } from '../../src/consent/consent.store.ts';
import { accountAccessBody, domesticPaymentBody, fundsConfirmationBody } from './consent-bodies.ts';

export interface ConsentSetup {
  clientId: string;
  kind?: ConsentKind;
  /** Default `Authorised`; `AwaitingAuthorisation` leaves it as the partner created it. */
  status?: ConsentStatus;
  body?: { Data: Record<string, unknown> };
  /** An AIS consent's accounts; default Alice's current account. */
  accountIds?: string[];
  /** Default a random id that no grant has. */
  grantId?: string;
}

/**
 * A consent of the customer's, set up through the store as the consent journey records it:
 * inserted by the partner, then moved in one transaction with its customer, grant and accounts (a
 * CBPII consent's debtor account is the one its body names).
 */
export async function authorisedConsent(db: Knex, customerId: string, setup: ConsentSetup): Promise<ConsentRow> {
  const kind = setup.kind ?? 'account-access';
  const body: { Data: Record<string, unknown> } = setup.body ?? (kind === 'account-access' ? accountAccessBody() : kind === 'funds-confirmation' ? fundsConfirmationBody() : domesticPaymentBody());
  const expiration = body.Data['ExpirationDateTime'];
  return db.transaction(async (trx) => {
    const row = await insertConsent(trx, {
      id: `${CONSENT_KINDS[kind].idPrefix}${randomUUID()}`,
      kind,
      client_id: setup.clientId,
      expires_at: typeof expiration === 'string' ? new Date(expiration) : null,
      request: body,
    }, 'partner');
    const status = setup.status ?? 'Authorised';
    if (status === 'AwaitingAuthorisation') return row;
    const debtor = kind === 'account-access' ? undefined : (body.Data['DebtorAccount'] as Record<string, unknown> | undefined);
    return changeStatus(trx, row.id, { status, actor: 'customer' }, {
      customer_id: customerId,
      grant_id: setup.grantId ?? randomUUID(),
      ...(kind === 'account-access' ? { account_ids: setup.accountIds ?? ['acc-0001-current'] } : {}),
      ...(debtor ? { debtor_account: debtor } : {}),
    });
  });
}
