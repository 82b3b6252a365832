import { planAccount, type AccountPlan } from './account-plan.ts';
import type { BankUnit } from './bank-unit.ts';
import { writeBusinessYear } from './business-year.ts';
import { EMPLOYERS, otherBankAccount } from './counterparties.ts';
import { finishUnit } from './finish-unit.ts';
import { cardNumber, gbIban, GENERATED_SORT_CODE, sortCodeAccount } from './identifiers.ts';
import { PERSONAL_BILLERS } from './merchants.ts';
import { partyOf, randomBusinessName, randomPerson } from './people.ts';
import { writePersonalYear } from './personal-year.ts';
import { randomFor, type Random } from './random.ts';
import { DAY, type Window } from './schedule.ts';
import { addCardSpending } from './spending.ts';
import { addCoveringIncome } from './income.ts';

/*
 * Customer n of a generated bank (`customer-<n>`): personal mostly, a business now and then, each
 * drawn from a stream of its own (see random.ts). Account numbers are n under 04-00-05, one
 * leading digit per kind of account, so they are unique for up to 9,999,999 customers.
 *
 * Their histories are much lighter than the story customers' (two or three transactions a
 * month, few second accounts): rows are what a seed costs, and 10,000 of them must be written in well under
 * a minute on PGlite too: about half a million rows in all.
 */

export const GENERATED_USERNAME_PREFIX = 'customer-';

function accountNumber(slot: number, n: number): string {
  return `${slot}${String(n).padStart(7, '0')}`;
}

function euroAccount(random: Random, window: Window, id: string, name: string, n: number): AccountPlan {
  const euro = planAccount({ accountId: `${id}-eur`, product: 'eur-current', currency: 'EUR', accountType: 'Personal', nickname: 'Euro account', name, holders: [id], identification: gbIban(GENERATED_SORT_CODE, accountNumber(3, n)), openedAt: window.start - random.int(30, 2_000) * DAY, creditLine: null, balance: { opening: random.int(5_000, 300_000) } });
  addCardSpending(euro, window, random, 'personal-eur', [0, 1]);
  addCoveringIncome(euro, window, random, { payer: { schemeName: 'UK.OBIE.IBAN', identification: 'FR1420041010050500013M02606', name: 'Famille Martin' }, day: random.int(1, 28), ratio: [0.9, 1.1], reference: 'VIREMENT', code: 'sepa-in' });
  return euro;
}

function personal(random: Random, window: Window, n: number): BankUnit {
  const id = `${GENERATED_USERNAME_PREFIX}${n}`;
  const person = randomPerson(random, String(n));
  const opened = () => window.start - random.int(30, 3_650) * DAY;
  const current = planAccount({ accountId: `${id}-current`, product: 'personal-current', currency: 'GBP', accountType: 'Personal', nickname: 'Current account', name: person.name, holders: [id], identification: sortCodeAccount(GENERATED_SORT_CODE, accountNumber(1, n)), openedAt: opened(), creditLine: random.pick([null, 25_000, 50_000, 100_000]), balance: { opening: random.int(-10_000, 300_000) } });
  const savings = random.chance(0.12) ? planAccount({ accountId: `${id}-savings`, product: 'savings', currency: 'GBP', accountType: 'Personal', nickname: 'Savings', name: person.name, holders: [id], identification: sortCodeAccount(GENERATED_SORT_CODE, accountNumber(2, n)), openedAt: opened(), creditLine: null, balance: { opening: random.int(10_000, 2_500_000) } }) : undefined;
  const limit = random.int(10, 80) * 10_000;
  const card = random.chance(0.06) ? planAccount({ accountId: `${id}-card`, product: 'credit-card', currency: 'GBP', accountType: 'Personal', nickname: 'Credit card', name: person.name, holders: [id], identification: cardNumber(`1${String(n).padStart(8, '0')}`), openedAt: opened(), creditLine: limit, balance: { opening: -random.int(0, limit / 4) } }) : undefined;
  const housing = random.int(0, 99);
  writePersonalYear({
    current, savings, card,
    employer: otherBankAccount(random, random.pick(EMPLOYERS)),
    payday: random.int(24, 28),
    incomeRatio: [0.97, 1.06],
    spendPerMonth: [0, 1],
    cardSpendPerMonth: [1, 1],
    cashWithdrawals: random.int(0, 1),
    bills: random.chance(0.5) ? [random.pick([...PERSONAL_BILLERS.energy, ...PERSONAL_BILLERS.phone, ...PERSONAL_BILLERS.councilTax])] : [],
    housing: housing < 35 ? { kind: 'rent', minor: random.int(650, 1_600) * 100 } : housing < 60 ? { kind: 'mortgage', minor: random.int(500, 1_500) * 100 } : undefined,
    savingsPerMonth: random.int(5, 40) * 1_000,
    friends: random.chance(0.2) ? 1 : 0,
  }, window, random);
  const plans = [current, ...(savings ? [savings] : []), ...(card ? [card] : []), ...(random.chance(0.02) ? [euroAccount(random, window, id, person.name, n)] : [])];
  return finishUnit([{ customerId: id, username: id, displayName: person.name, kind: 'personal', party: partyOf(id, person, 'individual') }], plans, window);
}

function business(random: Random, window: Window, n: number): BankUnit {
  const id = `${GENERATED_USERNAME_PREFIX}${n}`;
  const company = randomBusinessName(random);
  const contact = { ...randomPerson(random, String(n)), name: company };
  const opened = () => window.start - random.int(30, 3_650) * DAY;
  const current = planAccount({ accountId: `${id}-current`, product: 'business-current', currency: 'GBP', accountType: 'Business', nickname: 'Business account', name: company, holders: [id], identification: sortCodeAccount(GENERATED_SORT_CODE, accountNumber(1, n)), openedAt: opened(), creditLine: random.pick([null, 250_000, 500_000]), balance: { opening: random.int(200_000, 5_000_000) } });
  const reserve = random.chance(0.15) ? planAccount({ accountId: `${id}-savings`, product: 'business-savings', currency: 'GBP', accountType: 'Business', nickname: 'Tax reserve', name: company, holders: [id], identification: sortCodeAccount(GENERATED_SORT_CODE, accountNumber(2, n)), openedAt: opened(), creditLine: null, balance: { opening: random.int(100_000, 3_000_000) } }) : undefined;
  const card = random.chance(0.1) ? planAccount({ accountId: `${id}-card`, product: 'business-card', currency: 'GBP', accountType: 'Business', nickname: 'Business card', name: company, holders: [id], identification: cardNumber(`1${String(n).padStart(8, '0')}`), openedAt: opened(), creditLine: 1_000_000, balance: { opening: 0 } }) : undefined;
  writeBusinessYear({ current, reserve, card, employees: random.int(1, 2), spendPerMonth: [0, 2], clients: 1, suppliers: 1 }, window, random);
  const plans = [current, ...(reserve ? [reserve] : []), ...(card ? [card] : [])];
  return finishUnit([{ customerId: id, username: id, displayName: company, kind: 'business', party: partyOf(id, contact, 'company') }], plans, window);
}

/** Generated customer `n` (1-based) of the bank with this seed. */
export function generatedCustomer(seed: string, n: number, window: Window): BankUnit {
  const random = randomFor(seed, `customer ${n}`);
  return random.chance(0.08) ? business(random, window, n) : personal(random, window, n);
}
