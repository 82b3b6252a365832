import type { SubscriptionStatus } from './catalogue.types.ts';

/*
 * A subscription's status. A request for a plan that is not self-service waits (`requested`)
 * until an operator approves it (`active`) or refuses it (`refused`); the application, or an
 * operator, may cancel one that is requested or active. `refused` and `cancelled` are ends: a new
 * request for the same plan starts the row over (`subscribe`), since an application holds one
 * subscription per plan.
 */
const TRANSITIONS: Readonly<Record<SubscriptionStatus, readonly SubscriptionStatus[]>> = {
  requested: ['active', 'refused', 'cancelled'],
  active: ['cancelled'],
  refused: [],
  cancelled: [],
};

/** The statuses a subscription may move to `to` from. */
export function statusesLeadingTo(to: SubscriptionStatus): SubscriptionStatus[] {
  return (Object.keys(TRANSITIONS) as SubscriptionStatus[]).filter((from) => TRANSITIONS[from].includes(to));
}

