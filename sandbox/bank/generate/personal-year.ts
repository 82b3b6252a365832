import { counterpartyOf, type AccountPlan, type Counterparty } from './account-plan.ts';
import { otherBankAccount, somebody } from './counterparties.ts';
import { type Biller } from './merchants.ts';
import { addCardRepayments } from './card-repayments.ts';
import { addCoveringIncome } from './income.ts';
import type { Random } from './random.ts';
import { monthlyDates, type Window } from './schedule.ts';
import { addCardSpending, addCashWithdrawals } from './spending.ts';
import { addBeneficiary, addDirectDebit, addScheduledPayment, addStandingOrder } from './standing-lists.ts';

/** What a personal customer's year is made of; `personal-year.ts` writes it into their accounts. */
export interface PersonalYear {
  current: AccountPlan;
  savings?: AccountPlan | undefined;
  card?: AccountPlan | undefined;
  employer: Counterparty;
  payday: number;
  /** Income over spending: below 1 the balance slides over the year. */
  incomeRatio: readonly [number, number];
  spendPerMonth: readonly [number, number];
  /** Purchases a month on the credit card, when there is one. */
  cardSpendPerMonth: readonly [number, number];
  cashWithdrawals: number;
  bills: readonly Biller[];
  /** Rent by standing order to a landlord, or a mortgage by direct debit, monthly. */
  housing?: { kind: 'rent' | 'mortgage'; minor: number } | undefined;
  savingsPerMonth?: number | undefined;
  friends: number;
}

/** Interest on savings monthly, and a withdrawal back to the current account now and then. */
function writeSavings(year: PersonalYear, savings: AccountPlan, window: Window, random: Random): void {
  const opening = 'opening' in savings.balance ? savings.balance.opening : savings.balance.available;
  for (const at of monthlyDates(window, 1, random)) {
    savings.entries.push({ at, minor: Math.max(1, Math.round((opening * 0.035) / 12)), code: 'interest', information: 'Interest paid' });
  }
  if (random.chance(0.5)) {
    const dates = monthlyDates(window, random.int(2, 27), random);
    const at = dates[random.int(0, dates.length - 1)]!;
    const minor = random.int(100, 800) * 100;
    savings.entries.push({ at, minor: -minor, code: 'fp-out', information: 'Transfer to current account', counterparty: counterpartyOf(year.current) });
    year.current.entries.push({ at, minor, code: 'fp-in', information: 'Transfer from savings', counterparty: counterpartyOf(savings) });
  }
}

/** Writes a personal customer's year into their accounts' entries and standing lists. */
export function writePersonalYear(year: PersonalYear, window: Window, random: Random): void {
  const { current } = year;
  addCardSpending(current, window, random, 'personal-gbp', year.spendPerMonth);
  addCashWithdrawals(current, window, random, year.cashWithdrawals);
  for (const biller of year.bills) addDirectDebit(current, window, random, biller);
  if (year.housing?.kind === 'rent') addStandingOrder(current, window, random, { payee: somebody(random), minor: year.housing.minor, day: 1, reference: 'RENT' });
  if (year.housing?.kind === 'mortgage') addDirectDebit(current, window, random, { name: 'Nationwide Mortgage', minor: [year.housing.minor, year.housing.minor] }, 1);
  if (year.savings && year.savingsPerMonth) addStandingOrder(current, window, random, { payee: counterpartyOf(year.savings), minor: year.savingsPerMonth, day: year.payday + 1, reference: 'SAVINGS', into: year.savings });
  if (year.savings) writeSavings(year, year.savings, window, random);
  if (year.card) {
    addCardSpending(year.card, window, random, 'personal-gbp', year.cardSpendPerMonth);
    addCardRepayments(year.card, current, window, random, 20, 'Portcullis Credit Card');
  }
  for (let index = 0; index < year.friends; index++) addBeneficiary(current, window, random, somebody(random), random.pick(['Thanks', 'Dinner', 'Birthday', 'Holiday', 'Bills']), random.int(1, 6), [1_000, 12_000]);
  if (year.friends > 0 && random.chance(0.4)) addScheduledPayment(current, window, random, otherBankAccount(random, 'HMRC Self Assessment'), random.digits(10) + 'K', random.int(200, 2_500) * 100);
  addCoveringIncome(current, window, random, { payer: year.employer, day: year.payday, ratio: year.incomeRatio, reference: 'SALARY' });
}
