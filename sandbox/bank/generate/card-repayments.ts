import type { AccountPlan } from './account-plan.ts';
import type { Random } from './random.ts';
import { monthlyDates, type Window } from './schedule.ts';

/**
 * Pays a credit card off monthly on `day` by direct debit from `from`: what the card spent since
 * the last payment (call it once the card's purchases are written). Both sides are booked.
 */
export function addCardRepayments(card: AccountPlan, from: AccountPlan, window: Window, random: Random, day: number, debitName: string): void {
  const purchases = [...card.entries].sort((a, b) => a.at - b.at);
  let owed = 0;
  let next = 0;
  for (const at of monthlyDates(window, day, random)) {
    for (; next < purchases.length && purchases[next]!.at < at; next++) owed -= purchases[next]!.minor;
    if (owed === 0) continue;
    card.entries.push({ at, minor: owed, code: 'repayment', information: 'Payment received, thank you' });
    from.entries.push({ at, minor: -owed, code: 'dd', information: `${debitName} DD`, reference: card.identification.identification.slice(-8) });
    owed = 0;
  }
}
