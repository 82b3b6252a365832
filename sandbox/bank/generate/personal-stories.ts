import { planAccount } from './account-plan.ts';
import type { BankUnit } from './bank-unit.ts';
import { otherBankAccount } from './counterparties.ts';
import { finishUnit } from './finish-unit.ts';
import { cardNumber, gbIban, sortCodeAccount, STORY_SORT_CODE } from './identifiers.ts';
import { addCoveringIncome } from './income.ts';
import { PERSONAL_BILLERS as BILLS } from './merchants.ts';
import { writePersonalYear } from './personal-year.ts';
import { dayOfMonth, monthsOf, type Window } from './schedule.ts';
import { addCardSpending } from './spending.ts';
import { addStandingOrder } from './standing-lists.ts';
import { openedYearsBefore, storyCustomer } from './story-parts.ts';

/*
 * The personal story customers (see story-customers.ts). Their available balances are fixed, and
 * alice's and bob's accounts are the ones the sandbox has always had: tests across the product
 * rely on their ids, numbers and balances.
 */

export function aliceAndBob(seed: string, window: Window): BankUnit[] {
  const alice = storyCustomer(seed, 'alice');
  const current = planAccount({ accountId: 'acc-0001-current', product: 'personal-current', currency: 'GBP', accountType: 'Personal', nickname: 'Everyday account', name: 'Alice Carter', holders: ['cust-0001'], identification: sortCodeAccount(STORY_SORT_CODE, '12345678'), openedAt: openedYearsBefore(window, 6), creditLine: 50_000, balance: { available: 125_075 } });
  const savings = planAccount({ accountId: 'acc-0001-savings', product: 'savings', currency: 'GBP', accountType: 'Personal', nickname: 'Rainy day savings', name: 'Alice Carter', holders: ['cust-0001'], identification: sortCodeAccount(STORY_SORT_CODE, '87654321'), openedAt: openedYearsBefore(window, 4), creditLine: null, balance: { available: 840_000 } });
  writePersonalYear({ current, savings, employer: otherBankAccount(alice.random, 'Meridian Software Ltd'), payday: 25, incomeRatio: [1, 1], spendPerMonth: [8, 12], cardSpendPerMonth: [3, 8], cashWithdrawals: 4, bills: [BILLS.energy[0]!, BILLS.water[0]!, BILLS.phone[0]!, BILLS.broadband[0]!, BILLS.councilTax[2]!, BILLS.gym[0]!], housing: { kind: 'rent', minor: 145_000 }, savingsPerMonth: 25_000, friends: 2 }, window, alice.random);

  const bob = storyCustomer(seed, 'bob');
  const bobs = planAccount({ accountId: 'acc-0002-current', product: 'personal-current', currency: 'GBP', accountType: 'Personal', nickname: 'Current account', name: 'Bob Mensah', holders: ['cust-0002'], identification: sortCodeAccount(STORY_SORT_CODE, '55501234'), openedAt: openedYearsBefore(window, 2), creditLine: 25_000, balance: { available: 4_210 } });
  writePersonalYear({ current: bobs, employer: otherBankAccount(bob.random, 'Brightwell Retail plc'), payday: 28, incomeRatio: [0.99, 1], spendPerMonth: [6, 10], cardSpendPerMonth: [3, 8], cashWithdrawals: 4, bills: [BILLS.energy[1]!, BILLS.phone[3]!], housing: { kind: 'rent', minor: 62_500 }, friends: 1 }, window, bob.random);

  return [finishUnit([alice.customer], [current, savings], window), finishUnit([bob.customer], [bobs], window)];
}

/** Student Loans Company pays at the start of each term: September, January and April. */
function addStudentLoan(plan: ReturnType<typeof planAccount>, window: Window): void {
  for (const month of monthsOf(window)) {
    if (![8, 0, 3].includes(new Date(month).getUTCMonth())) continue;
    const at = dayOfMonth(month, 20, 6 * 60);
    if (at >= window.start && at < window.asOf) plan.entries.push({ at, minor: 152_300, code: 'fp-in', information: 'Student Loans Company SLC MAINTENANCE', reference: 'SLC MAINTENANCE' });
  }
}

export function chloe(seed: string, window: Window): BankUnit {
  const { customer, random } = storyCustomer(seed, 'chloe');
  const current = planAccount({ accountId: 'acc-0003-current', product: 'student-current', currency: 'GBP', accountType: 'Personal', nickname: 'Student account', name: 'Chloe Okafor', holders: ['cust-0003'], identification: sortCodeAccount(STORY_SORT_CODE, '33300412'), openedAt: openedYearsBefore(window, 1), creditLine: 150_000, balance: { available: 18_640 } });
  addStudentLoan(current, window);
  writePersonalYear({ current, employer: otherBankAccount(random, 'The Coffee Lab Ltd'), payday: 15, incomeRatio: [0.55, 0.6], spendPerMonth: [12, 16], cardSpendPerMonth: [3, 8], cashWithdrawals: 4, bills: [BILLS.phone[3]!, BILLS.gym[1]!], housing: { kind: 'rent', minor: 48_000 }, friends: 3 }, window, random);
  return finishUnit([customer], [current], window);
}

export function dan(seed: string, window: Window): BankUnit {
  const { customer, random } = storyCustomer(seed, 'dan');
  const current = planAccount({ accountId: 'acc-0004-current', product: 'personal-current', currency: 'GBP', accountType: 'Personal', nickname: 'Current account', name: 'Daniel Hughes', holders: ['cust-0004'], identification: sortCodeAccount(STORY_SORT_CODE, '44400981'), openedAt: openedYearsBefore(window, 9), creditLine: 100_000, balance: { available: -64_318 } });
  const card = planAccount({ accountId: 'acc-0004-card', product: 'credit-card', currency: 'GBP', accountType: 'Personal', nickname: 'Credit card', name: 'Daniel Hughes', holders: ['cust-0004'], identification: cardNumber('000000004'), openedAt: openedYearsBefore(window, 3), creditLine: 300_000, balance: { available: -286_745 } });
  writePersonalYear({ current, card, employer: otherBankAccount(random, 'Castle Engineering Ltd'), payday: 26, incomeRatio: [0.96, 0.98], spendPerMonth: [8, 12], cardSpendPerMonth: [3, 8], cashWithdrawals: 4, bills: [BILLS.energy[2]!, BILLS.water[1]!, BILLS.phone[1]!, BILLS.broadband[1]!, BILLS.councilTax[0]!, BILLS.insurance[1]!], housing: { kind: 'mortgage', minor: 98_000 }, friends: 1 }, window, random);
  return finishUnit([customer], [current, card], window);
}

export function marie(seed: string, window: Window): BankUnit {
  const { customer, random } = storyCustomer(seed, 'marie');
  const current = planAccount({ accountId: 'acc-0008-current', product: 'personal-current', currency: 'GBP', accountType: 'Personal', nickname: 'Sterling account', name: 'Marie Dubois', holders: ['cust-0008'], identification: sortCodeAccount(STORY_SORT_CODE, '80800808'), openedAt: openedYearsBefore(window, 2), creditLine: null, balance: { available: 231_904 } });
  const euro = planAccount({ accountId: 'acc-0008-eur', product: 'eur-current', currency: 'EUR', accountType: 'Personal', nickname: 'Compte en euros', name: 'Marie Dubois', holders: ['cust-0008'], identification: gbIban(STORY_SORT_CODE, '80800809'), openedAt: openedYearsBefore(window, 2), creditLine: null, balance: { available: 1_284_533 } });
  addCardSpending(euro, window, random, 'personal-eur', [4, 6]);
  addStandingOrder(euro, window, random, { payee: { schemeName: 'UK.OBIE.IBAN', identification: 'FR7630006000011234567890189', name: 'Dubois Parents' }, minor: 30_000, day: 5, reference: 'POUR MAMAN' });
  addCoveringIncome(euro, window, random, { payer: { schemeName: 'UK.OBIE.IBAN', identification: 'FR1420041010050500013M02606', name: 'Atelier Lumière SARL' }, day: 27, ratio: [1.3, 1.4], reference: 'SALAIRE', code: 'sepa-in' });
  writePersonalYear({ current, employer: otherBankAccount(random, 'Lumiere UK Ltd'), payday: 28, incomeRatio: [1, 1.02], spendPerMonth: [6, 9], cardSpendPerMonth: [3, 8], cashWithdrawals: 4, bills: [BILLS.energy[0]!, BILLS.phone[2]!, BILLS.broadband[2]!, BILLS.councilTax[2]!], housing: { kind: 'rent', minor: 135_000 }, friends: 1 }, window, random);
  return finishUnit([customer], [current, euro], window);
}
