import type { AccountPlan } from './account-plan.ts';
import { finishAccount } from './accounts.ts';
import type { BankUnit, CustomerRecord } from './bank-unit.ts';
import type { Window } from './schedule.ts';

/** The unit's rows, once every account's year is written. */
export function finishUnit(customers: CustomerRecord[], plans: readonly AccountPlan[], window: Window): BankUnit {
  const parties = new Map(customers.map((customer) => [customer.customerId, customer.party]));
  return { customers, accounts: plans.map((plan) => finishAccount(plan, window, parties)) };
}
