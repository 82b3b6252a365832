import type { AccountPlan, ProductKind } from './account-plan.ts';
import type { AccountRecord, JsonObject, ResourceKind, ResourceRow } from './bank-unit.ts';
import { BANK_BIC } from './identifiers.ts';
import { isoOf, type Window } from './schedule.ts';
import { issueStatements } from './statements.ts';
import { bookEntries } from './transactions.ts';

/** Each product as OB describes it: the account's sub-type and its OBReadProduct2 Product. */
const PRODUCTS: Readonly<Record<ProductKind, { subType: string; name: string; type: string; other?: string }>> = {
  'personal-current': { subType: 'CurrentAccount', name: 'Everyday Current Account', type: 'PersonalCurrentAccount' },
  'student-current': { subType: 'CurrentAccount', name: 'Student Current Account', type: 'PersonalCurrentAccount' },
  'eur-current': { subType: 'CurrentAccount', name: 'Euro Current Account', type: 'PersonalCurrentAccount' },
  savings: { subType: 'Savings', name: 'Easy Access Saver', type: 'Other', other: 'Instant access savings, interest paid monthly' },
  'credit-card': { subType: 'CreditCard', name: 'Everyday Credit Card', type: 'Other', other: 'Personal credit card, repaid monthly' },
  'business-current': { subType: 'CurrentAccount', name: 'Business Current Account', type: 'BusinessCurrentAccount' },
  'business-savings': { subType: 'Savings', name: 'Business Deposit Account', type: 'Other', other: 'Business instant access deposit account' },
  'business-eur': { subType: 'CurrentAccount', name: 'Business Euro Account', type: 'BusinessCurrentAccount' },
  'business-card': { subType: 'CreditCard', name: 'Business Credit Card', type: 'CommercialCreditCard' },
};

function accountBody(plan: AccountPlan): JsonObject {
  return {
    AccountId: plan.accountId,
    Status: 'Enabled',
    StatusUpdateDateTime: isoOf(plan.openedAt),
    Currency: plan.currency,
    AccountType: plan.accountType,
    AccountSubType: PRODUCTS[plan.product].subType,
    Nickname: plan.nickname,
    OpeningDate: isoOf(plan.openedAt),
    Account: [{ SchemeName: plan.identification.schemeName, Identification: plan.identification.identification, Name: plan.name }],
    Servicer: { SchemeName: 'UK.OBIE.BICFI', Identification: BANK_BIC },
  };
}

function productBody(plan: AccountPlan): JsonObject {
  const product = PRODUCTS[plan.product];
  return {
    ProductName: product.name,
    ProductId: plan.product,
    AccountId: plan.accountId,
    ProductType: product.type,
    ...(product.other ? { OtherProductType: { Name: product.name, Description: product.other } } : {}),
  };
}

/** OBParty2 of each holder, as the account's parties: a joint account's first holder leads. */
function accountParties(plan: AccountPlan, parties: ReadonlyMap<string, JsonObject>): JsonObject[] {
  return plan.holders.map((customerId, index) => ({
    ...parties.get(customerId),
    PartyType: plan.holders.length > 1 ? 'Joint' : 'Sole',
    AccountRole: index === 0 ? 'UK.OBIE.Principal' : 'UK.OBIE.SecondaryOwner',
  }));
}

function resourceRows(accountId: string, kind: ResourceKind, bodies: readonly JsonObject[], idField: string): ResourceRow[] {
  return bodies.map((body, index) => ({ account_id: accountId, kind, resource_id: String(body[idField]), position: index + 1, body }));
}

/** Books the plan's entries, issues its statements and turns it into the ledger's rows. */
export function finishAccount(plan: AccountPlan, window: Window, parties: ReadonlyMap<string, JsonObject>): AccountRecord {
  const booked = bookEntries(plan, window);
  const statements = issueStatements(plan, window, booked.transactions, booked.opening);
  return {
    row: {
      account_id: plan.accountId,
      currency: plan.currency,
      body: accountBody(plan),
      product: productBody(plan),
      booked_minor: booked.booked,
      available_minor: booked.available,
      credit_line_minor: plan.creditLine,
      balance_at: isoOf(window.asOf),
      scheme_name: plan.identification.schemeName,
      identification: plan.identification.identification,
    },
    holders: plan.holders,
    transactions: booked.transactions,
    resources: [
      ...resourceRows(plan.accountId, 'beneficiary', plan.beneficiaries, 'BeneficiaryId'),
      ...resourceRows(plan.accountId, 'direct-debit', plan.directDebits, 'DirectDebitId'),
      ...resourceRows(plan.accountId, 'standing-order', plan.standingOrders, 'StandingOrderId'),
      ...resourceRows(plan.accountId, 'scheduled-payment', plan.scheduledPayments, 'ScheduledPaymentId'),
      ...resourceRows(plan.accountId, 'statement', statements, 'StatementId'),
      ...resourceRows(plan.accountId, 'party', accountParties(plan, parties), 'PartyId'),
    ],
  };
}
