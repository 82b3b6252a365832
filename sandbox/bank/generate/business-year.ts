import { counterpartyOf, type AccountPlan } from './account-plan.ts';
import { CLIENTS, otherBankAccount, somebody } from './counterparties.ts';
import { addCardRepayments } from './card-repayments.ts';
import { addCoveringIncome } from './income.ts';
import type { Random } from './random.ts';
import { monthlyDates, type Window } from './schedule.ts';
import { addCardSpending } from './spending.ts';
import { addBeneficiary, addDirectDebit, addScheduledPayment, addStandingOrder } from './standing-lists.ts';

/** What a business customer's year is made of. */
export interface BusinessYear {
  current: AccountPlan;
  reserve?: AccountPlan | undefined;
  card?: AccountPlan | undefined;
  /** Pays the salaries, funded monthly from the current account; without one the current account pays them. */
  payroll?: AccountPlan | undefined;
  employees: number;
  spendPerMonth: readonly [number, number];
  clients: number;
  /** Suppliers paid by Faster Payment, a few times a year each. */
  suppliers: number;
}

/**
 * A small company's year: supplies by card, payroll by standing order, PAYE, rent and energy by
 * direct debit, a monthly transfer to a tax reserve, and its clients' payments covering it all.
 */
export function writeBusinessYear(year: BusinessYear, window: Window, random: Random): void {
  const { current } = year;
  addCardSpending(current, window, random, 'business', year.spendPerMonth);
  const salaries = Array.from({ length: year.employees }, () => random.int(1_600, 3_200) * 100);
  const payer = year.payroll ?? current;
  for (const minor of salaries) addStandingOrder(payer, window, random, { payee: somebody(random), minor, day: 28, reference: 'SALARY' });
  if (year.payroll) addStandingOrder(current, window, random, { payee: counterpartyOf(year.payroll), minor: salaries.reduce((sum, minor) => sum + minor, 0), day: 27, reference: 'PAYROLL', into: year.payroll });
  addDirectDebit(current, window, random, { name: 'HMRC PAYE', minor: [year.employees * 40_000, year.employees * 60_000 + 1] }, 22);
  addDirectDebit(current, window, random, { name: 'Kingsway Business Park', minor: [80_000, 250_000] }, 1);
  addDirectDebit(current, window, random, { name: 'British Gas Business', minor: [9_000, 40_000] });
  for (let index = 0; index < year.suppliers; index++) addBeneficiary(current, window, random, otherBankAccount(random, `${somebody(random).name.split(' ')[1]} Supplies Ltd`), `INV${random.digits(5)}`, random.int(2, 8), [20_000, 250_000]);
  addScheduledPayment(current, window, random, otherBankAccount(random, 'HMRC VAT'), `VAT${random.digits(9)}`, random.int(2_000, 15_000) * 100);
  if (year.reserve) {
    addStandingOrder(current, window, random, { payee: counterpartyOf(year.reserve), minor: random.int(5, 40) * 10_000, day: 5, reference: 'TAX RESERVE', into: year.reserve });
    for (const at of monthlyDates(window, 1, random)) year.reserve.entries.push({ at, minor: random.int(200, 2_000), code: 'interest', information: 'Interest paid' });
  }
  if (year.card) {
    addCardSpending(year.card, window, random, 'business', [2, 6]);
    addCardRepayments(year.card, current, window, random, 15, 'Portcullis Business Card');
  }
  for (let index = 0; index < year.clients; index++) {
    addCoveringIncome(current, window, random, { payer: otherBankAccount(random, CLIENTS[(index + random.int(0, CLIENTS.length - 1)) % CLIENTS.length]!), day: random.int(3, 27), ratio: [1 / year.clients, 1.25 / year.clients], reference: `INV${random.digits(5)}` });
  }
}
