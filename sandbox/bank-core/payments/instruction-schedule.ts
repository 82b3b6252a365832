import { nextPaymentAfter } from './ob-frequency.ts';
import type { Initiation, PaymentKind } from './payment-kinds.ts';

/*
 * The payments a scheduled payment or a standing order makes, from its Initiation as consented:
 * a scheduled payment pays once, on its RequestedExecutionDateTime; a standing order pays its
 * FirstPaymentAmount on FirstPaymentDateTime, then RecurringPaymentAmount (else the first amount)
 * on RecurringPaymentDateTime (else the frequency's next date) and on each date after, until it
 * has made NumberOfPayments or passed FinalPaymentDateTime; its last payment is
 * FinalPaymentAmount where one is given.
 */

type Amount = { Amount: string; Currency: string };

/** When the payment numbered `index` (0 for the first) is due, the one before it being at `previous`; undefined when there is none. */
export function instructedPaymentAt(kind: PaymentKind, initiation: Initiation, index: number, previous: Date | undefined): Date | undefined {
  if (kind === 'domestic-scheduled-payment') return index === 0 ? new Date(initiation.RequestedExecutionDateTime!) : undefined;
  if (kind !== 'domestic-standing-order') return undefined;
  if (initiation.NumberOfPayments !== undefined && index >= Number(initiation.NumberOfPayments)) return undefined;
  const at = index === 0 ? new Date(initiation.FirstPaymentDateTime!)
    : index === 1 && initiation.RecurringPaymentDateTime !== undefined ? new Date(initiation.RecurringPaymentDateTime)
    : nextPaymentAfter(initiation.Frequency!, previous!);
  return initiation.FinalPaymentDateTime !== undefined && at > new Date(initiation.FinalPaymentDateTime) ? undefined : at;
}

/** The amount of the payment numbered `index`, due at `at`. */
export function instructedAmount(kind: PaymentKind, initiation: Initiation, index: number, at: Date): Amount {
  if (kind !== 'domestic-standing-order') return initiation.InstructedAmount!;
  if (index === 0) return initiation.FirstPaymentAmount!;
  const last = instructedPaymentAt(kind, initiation, index + 1, at) === undefined;
  return (last ? initiation.FinalPaymentAmount : undefined) ?? initiation.RecurringPaymentAmount ?? initiation.FirstPaymentAmount!;
}
