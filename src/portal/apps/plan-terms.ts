import type { GatewayPlan } from '../../gateway/catalogue/catalogue.types.ts';
import { formatInstant } from '../format-instant.ts';

/* A plan's limits and price in words, as the portal shows them beside each plan. */

const count = (value: number) => value.toLocaleString('en-GB');

export function planLimits(plan: GatewayPlan): string {
  const limits = [
    plan.ratePerSecond !== null && `${count(plan.ratePerSecond)} calls a second`,
    plan.ratePerMinute !== null && `${count(plan.ratePerMinute)} calls a minute`,
    plan.quotaPerDay !== null && `${count(plan.quotaPerDay)} a day`,
    plan.quotaPerMonth !== null && `${count(plan.quotaPerMonth)} a month`,
  ].filter((limit): limit is string => typeof limit === 'string');
  return limits.length ? limits.join(', ') : 'No limits';
}

export function planPrice(plan: GatewayPlan): string {
  if (!plan.priceMinorUnits) return 'Free';
  const amount = new Intl.NumberFormat('en-GB', { style: 'currency', currency: plan.currency ?? 'GBP' }).format(plan.priceMinorUnits / 100);
  return `${amount} a month`;
}

/** How the key's state reads at `now`: live, ending at a rotation's end, or ended. */
export function keyState(key: { expires_at: Date | null; revoked_at: Date | null }, now: Date): { live: boolean; words: string } {
  if (key.revoked_at) return { live: false, words: `Revoked ${formatInstant(key.revoked_at)}` };
  if (key.expires_at && new Date(key.expires_at) <= now) return { live: false, words: `Expired ${formatInstant(key.expires_at)}` };
  if (key.expires_at) return { live: true, words: `Works until ${formatInstant(key.expires_at)} (replaced)` };
  return { live: true, words: 'Live' };
}
