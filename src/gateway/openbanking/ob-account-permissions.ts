import type { ObPermission } from '../../openbanking/ob-vocabulary.ts';

/*
 * What each Account and Transaction resource of the Read/Write API v3.1.11 needs of a consent's
 * Permissions, and what its Basic permission hides: one table, read by the gateway's Open Banking
 * authorisation (may this consent call this route?) and response filter (what may it see?).
 * Paths are relative to `/open-banking/v3.1/aisp`, as in the spec's own OpenAPI document.
 */

/** Every group must be met, each by any one of its permissions. */
export type PermissionRule = ReadonlyArray<readonly ObPermission[]>;

export interface ResourcePolicy {
  rule: PermissionRule;
  /** The `Data` member holding the resource's list, e.g. `Transaction`. */
  dataKey: string;
  /** Basic/Detail pairs: with only the Basic permission, these record fields are removed. */
  basic?: { detail: ObPermission; hiddenFields: readonly string[] };
  /** Transactions: a consent with only Credits (or Debits) sees only those. */
  creditDebit?: boolean;
}

const ACCOUNTS: PermissionRule = [['ReadAccountsBasic', 'ReadAccountsDetail']];
const TRANSACTIONS: PermissionRule = [['ReadTransactionsBasic', 'ReadTransactionsDetail'], ['ReadTransactionsCredits', 'ReadTransactionsDebits']];
const STATEMENTS: PermissionRule = [['ReadStatementsBasic', 'ReadStatementsDetail']];

const accountBasic = { detail: 'ReadAccountsDetail', hiddenFields: ['Account', 'Servicer'] } as const;
const creditorBasic = (detail: ObPermission) => ({ detail, hiddenFields: ['CreditorAccount', 'CreditorAgent'] });
const transactionBasic = {
  detail: 'ReadTransactionsDetail',
  hiddenFields: ['TransactionInformation', 'Balance', 'MerchantDetails', 'CreditorAgent', 'CreditorAccount', 'DebtorAgent', 'DebtorAccount', 'CardInstrument', 'SupplementaryData'],
} as const;
const statementBasic = { detail: 'ReadStatementsDetail', hiddenFields: ['StatementAmount', 'StatementBenefit', 'StatementFee', 'StatementInterest', 'StatementRate', 'StatementValue'] } as const;

function both(template: string): [string, string] {
  return [`/accounts/{AccountId}${template}`, template];
}

function entries(): Array<[string, ResourcePolicy]> {
  const table: Array<[string, ResourcePolicy]> = [
    ['/accounts', { rule: ACCOUNTS, dataKey: 'Account', basic: accountBasic }],
    ['/accounts/{AccountId}', { rule: ACCOUNTS, dataKey: 'Account', basic: accountBasic }],
    ['/accounts/{AccountId}/party', { rule: [['ReadParty']], dataKey: 'Party' }],
    ['/accounts/{AccountId}/parties', { rule: [['ReadParty']], dataKey: 'Party' }],
    ['/party', { rule: [['ReadPartyPSU']], dataKey: 'Party' }],
    ['/accounts/{AccountId}/product', { rule: [['ReadProducts']], dataKey: 'Product' }],
    ['/products', { rule: [['ReadProducts']], dataKey: 'Product' }],
    ['/accounts/{AccountId}/statements/{StatementId}', { rule: STATEMENTS, dataKey: 'Statement', basic: statementBasic }],
    ['/accounts/{AccountId}/statements/{StatementId}/file', { rule: [['ReadStatementsDetail']], dataKey: 'Statement' }],
    ['/accounts/{AccountId}/statements/{StatementId}/transactions', { rule: [...STATEMENTS, ...TRANSACTIONS], dataKey: 'Transaction', basic: transactionBasic, creditDebit: true }],
  ];
  const perAccountAndBulk: Array<[string, ResourcePolicy]> = [
    ['/balances', { rule: [['ReadBalances']], dataKey: 'Balance' }],
    ['/beneficiaries', { rule: [['ReadBeneficiariesBasic', 'ReadBeneficiariesDetail']], dataKey: 'Beneficiary', basic: creditorBasic('ReadBeneficiariesDetail') }],
    ['/direct-debits', { rule: [['ReadDirectDebits']], dataKey: 'DirectDebit' }],
    ['/offers', { rule: [['ReadOffers']], dataKey: 'Offer' }],
    ['/scheduled-payments', { rule: [['ReadScheduledPaymentsBasic', 'ReadScheduledPaymentsDetail']], dataKey: 'ScheduledPayment', basic: creditorBasic('ReadScheduledPaymentsDetail') }],
    ['/standing-orders', { rule: [['ReadStandingOrdersBasic', 'ReadStandingOrdersDetail']], dataKey: 'StandingOrder', basic: creditorBasic('ReadStandingOrdersDetail') }],
    ['/statements', { rule: STATEMENTS, dataKey: 'Statement', basic: statementBasic }],
    ['/transactions', { rule: TRANSACTIONS, dataKey: 'Transaction', basic: transactionBasic, creditDebit: true }],
  ];
  for (const [template, policy] of perAccountAndBulk) {
    for (const path of both(template)) table.push([path, policy]);
  }
  return table;
}

/** Every account-information resource the gateway serves, by path template. */
export const OB_ACCOUNT_RESOURCES: ReadonlyMap<string, ResourcePolicy> = new Map(entries());

/** Whether a consent's permissions meet a rule. */
export function meetsRule(permissions: ReadonlySet<string>, rule: PermissionRule): boolean {
  return rule.every((group) => group.some((permission) => permissions.has(permission)));
}

/** The permissions a rule asks for, in words for a refusal: "ReadTransactionsBasic or ReadTransactionsDetail, and …". */
export function describeRule(rule: PermissionRule): string {
  return rule.map((group) => group.join(' or ')).join(', and ');
}
