import { planAccount } from './account-plan.ts';
import type { BankUnit } from './bank-unit.ts';
import { writeBusinessYear } from './business-year.ts';
import { otherBankAccount } from './counterparties.ts';
import { finishUnit } from './finish-unit.ts';
import { cardNumber, gbIban, sortCodeAccount, STORY_SORT_CODE } from './identifiers.ts';
import { addCoveringIncome } from './income.ts';
import { PERSONAL_BILLERS as BILLS } from './merchants.ts';
import { writePersonalYear } from './personal-year.ts';
import type { Window } from './schedule.ts';
import { addCardSpending } from './spending.ts';
import { openedYearsBefore, storyCustomer } from './story-parts.ts';

/* The story customers with more than one of something: a business's accounts, a couple's joint account. */

export function northwind(seed: string, window: Window): BankUnit {
  const { customer, random } = storyCustomer(seed, 'northwind', 'business');
  const common = { accountType: 'Business', name: 'Northwind Joinery Ltd', holders: ['cust-0005'], openedAt: openedYearsBefore(window, 5) } as const;
  const current = planAccount({ ...common, accountId: 'acc-0005-current', product: 'business-current', currency: 'GBP', nickname: 'Main account', identification: sortCodeAccount(STORY_SORT_CODE, '50500501'), creditLine: 500_000, balance: { available: 2_836_210 } });
  const payroll = planAccount({ ...common, accountId: 'acc-0005-payroll', product: 'business-current', currency: 'GBP', nickname: 'Payroll', identification: sortCodeAccount(STORY_SORT_CODE, '50500502'), creditLine: null, balance: { available: 120_000 } });
  const reserve = planAccount({ ...common, accountId: 'acc-0005-reserve', product: 'business-savings', currency: 'GBP', nickname: 'VAT and tax reserve', identification: sortCodeAccount(STORY_SORT_CODE, '50500503'), creditLine: null, balance: { available: 1_945_000 } });
  const card = planAccount({ ...common, accountId: 'acc-0005-card', product: 'business-card', currency: 'GBP', nickname: 'Business card', identification: cardNumber('000000005'), creditLine: 1_500_000, balance: { available: -212_380 } });
  const euro = planAccount({ ...common, accountId: 'acc-0005-eur', product: 'business-eur', currency: 'EUR', nickname: 'Euro account', identification: gbIban(STORY_SORT_CODE, '50500504'), creditLine: null, balance: { available: 914_250 } });
  writeBusinessYear({ current, payroll, reserve, card, employees: 6, spendPerMonth: [6, 10], clients: 4, suppliers: 3 }, window, random);
  addCardSpending(euro, window, random, 'personal-eur', [1, 3]);
  addCoveringIncome(euro, window, random, { payer: { schemeName: 'UK.OBIE.IBAN', identification: 'NL91ABNA0417164300', name: 'Houtwerk Amsterdam BV' }, day: 12, ratio: [1.1, 1.2], reference: 'FACTUUR', code: 'sepa-in' });
  return finishUnit([customer], [current, payroll, reserve, euro, card], window);
}

/** Sam and Jo: one unit, since their joint account needs both customers before its holders. */
export function theTaylors(seed: string, window: Window): BankUnit {
  const sam = storyCustomer(seed, 'sam');
  const jo = storyCustomer(seed, 'jo');
  const joint = planAccount({ accountId: 'acc-0006-joint', product: 'personal-current', currency: 'GBP', accountType: 'Personal', nickname: 'Joint account', name: 'Sam Taylor and Jo Taylor', holders: ['cust-0006', 'cust-0007'], identification: sortCodeAccount(STORY_SORT_CODE, '60600606'), openedAt: openedYearsBefore(window, 7), creditLine: 100_000, balance: { available: 342_617 } });
  const card = planAccount({ accountId: 'acc-0006-card', product: 'credit-card', currency: 'GBP', accountType: 'Personal', nickname: 'Credit card', name: 'Sam Taylor', holders: ['cust-0006'], identification: cardNumber('000000006'), openedAt: openedYearsBefore(window, 2), creditLine: 450_000, balance: { available: -38_214 } });
  const savings = planAccount({ accountId: 'acc-0007-savings', product: 'savings', currency: 'GBP', accountType: 'Personal', nickname: 'My savings', name: 'Jo Taylor', holders: ['cust-0007'], identification: sortCodeAccount(STORY_SORT_CODE, '70700707'), openedAt: openedYearsBefore(window, 3), creditLine: null, balance: { available: 1_512_040 } });
  writePersonalYear({ current: joint, card, savings, employer: otherBankAccount(sam.random, 'Harbour Health NHS Trust'), payday: 27, incomeRatio: [0.55, 0.55], spendPerMonth: [10, 14], cardSpendPerMonth: [3, 8], cashWithdrawals: 4, bills: [BILLS.energy[0]!, BILLS.water[2]!, BILLS.phone[0]!, BILLS.phone[1]!, BILLS.broadband[1]!, BILLS.councilTax[1]!, BILLS.insurance[0]!], housing: { kind: 'mortgage', minor: 132_000 }, savingsPerMonth: 30_000, friends: 2 }, window, sam.random);
  addCoveringIncome(joint, window, jo.random, { payer: otherBankAccount(jo.random, 'Oakridge Academy Trust'), day: 25, ratio: [0.47, 0.5], reference: 'SALARY' });
  return finishUnit([sam.customer, jo.customer], [joint, card, savings], window);
}
