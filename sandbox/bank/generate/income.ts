import type { AccountPlan, Counterparty, EntryCode } from './account-plan.ts';
import type { Random } from './random.ts';
import { monthlyDates, type Window } from './schedule.ts';

/**
 * Monthly income that covers what the account spends: its debits so far, averaged over the
 * window's months, times a ratio drawn from `ratio` (so some customers save and some slide), in
 * whole pounds. Added last, it keeps a year of history from drifting to absurd balances.
 */
export function addCoveringIncome(plan: AccountPlan, window: Window, random: Random, income: { payer: Counterparty; day: number; ratio: readonly [number, number]; reference: string; code?: EntryCode }): void {
  const dates = monthlyDates(window, income.day, random);
  if (dates.length === 0) return;
  const spent = plan.entries.reduce((sum, entry) => sum + (entry.minor < 0 ? -entry.minor : 0), 0);
  const perMonth = (spent / dates.length) * (random.int(Math.round(income.ratio[0] * 100), Math.round(income.ratio[1] * 100)) / 100);
  const minor = Math.max(100, Math.round(perMonth / 100) * 100);
  for (const at of dates) {
    plan.entries.push({ at, minor, code: income.code ?? 'fp-in', information: `${income.payer.name} ${income.reference}`, counterparty: income.payer, reference: income.reference });
  }
}
