import type { CustomerAccount, CustomerAccounts } from '../src/consent/customer-accounts.ts';

/*
 * The sandbox bank's accounts: fixed, so that a partner's tests and our own see the same data on
 * every machine. Sort codes in the 04-00-xx range are reserved for testing.
 */
const SANDBOX_ACCOUNTS: Readonly<Record<string, readonly CustomerAccount[]>> = {
  'cust-0001': [
    { accountId: 'acc-0001-current', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '04000412345678', name: 'Alice Carter', nickname: 'Everyday account', currency: 'GBP', availableBalance: '1250.75' },
    { accountId: 'acc-0001-savings', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '04000487654321', name: 'Alice Carter', nickname: 'Rainy day savings', currency: 'GBP', availableBalance: '8400.00' },
  ],
  'cust-0002': [
    { accountId: 'acc-0002-current', schemeName: 'UK.OBIE.SortCodeAccountNumber', identification: '04000455501234', name: 'Bob Mensah', nickname: 'Current account', currency: 'GBP', availableBalance: '42.10' },
  ],
};

/** `CustomerAccounts` over the sandbox's fixed accounts. */
export const sandboxAccounts: CustomerAccounts = {
  async listAccounts(customerId) {
    return [...(SANDBOX_ACCOUNTS[customerId] ?? [])];
  },
  async findAccount(customerId, schemeName, identification) {
    return SANDBOX_ACCOUNTS[customerId]?.find((account) => account.schemeName === schemeName && account.identification === identification);
  },
};
