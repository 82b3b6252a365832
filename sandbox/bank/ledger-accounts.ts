import type { Knex } from 'knex';

import type { CustomerAccount, CustomerAccounts } from '../../src/consent/customer-accounts.ts';
import { signedDecimalOf } from './generate/money.ts';
import { findHeldAccount, listHeldAccounts, type HeldAccountRow } from './held-accounts.store.ts';

function toCustomerAccount(row: HeldAccountRow): CustomerAccount {
  return {
    accountId: row.account_id,
    schemeName: row.scheme_name as CustomerAccount['schemeName'],
    identification: row.identification,
    name: row.name,
    nickname: row.nickname,
    currency: row.currency,
    // bigint comes back as a string (pg) or a number (PGlite); balances are far inside 2^53.
    availableBalance: signedDecimalOf(Number(row.available_minor)),
  };
}

/** `CustomerAccounts` over the sandbox ledger: what the customer holds, as the bank core reads it too. */
export function ledgerAccounts(db: Knex): CustomerAccounts {
  return {
    async listAccounts(customerId) {
      return (await listHeldAccounts(db, customerId)).map(toCustomerAccount);
    },
    async findAccount(customerId, schemeName, identification) {
      const row = await findHeldAccount(db, customerId, schemeName, identification);
      return row && toCustomerAccount(row);
    },
  };
}
