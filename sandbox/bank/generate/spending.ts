import type { AccountPlan } from './account-plan.ts';
import { WEIGHTED_CATEGORIES, type SpendingProfile } from './merchants.ts';
import type { Random } from './random.ts';
import { monthsOf, DAY, type Window } from './schedule.ts';

/**
 * Card purchases: `perMonth` of them each month (a range, drawn per month) from the profile's
 * merchants, at waking hours on any day of the month the window holds; now and then a cash
 * withdrawal.
 */
export function addCardSpending(plan: AccountPlan, window: Window, random: Random, profile: SpendingProfile, perMonth: readonly [number, number]): void {
  const categories = WEIGHTED_CATEGORIES[profile];
  for (const month of monthsOf(window)) {
    const count = random.int(perMonth[0], perMonth[1]);
    for (let index = 0; index < count; index++) {
      const at = month + random.int(0, 30) * DAY + random.int(7 * 60, 22 * 60) * 60_000 + random.int(0, 59) * 1000;
      // A month's tail past its end, or a day outside the window, is not spent: months stay comparable.
      if (at < window.start || at >= window.asOf || new Date(at).getUTCMonth() !== new Date(month).getUTCMonth()) continue;
      const category = random.pick(categories);
      const merchant = random.pick(category.merchants);
      plan.entries.push({ at, minor: -random.int(category.minor[0], category.minor[1]), code: 'card', information: merchant, merchant: { name: merchant, mcc: category.mcc } });
    }
  }
}

/** A few cash machine withdrawals a year, in round amounts. */
export function addCashWithdrawals(plan: AccountPlan, window: Window, random: Random, count: number): void {
  for (let index = 0; index < count; index++) {
    const at = window.start + random.int(0, 363) * DAY + random.int(8 * 60, 21 * 60) * 60_000;
    plan.entries.push({ at, minor: -random.pick([1_000, 2_000, 3_000, 5_000, 10_000]), code: 'atm', information: 'Cash withdrawal, LINK ATM', merchant: { name: 'LINK ATM', mcc: '6011' } });
  }
}
