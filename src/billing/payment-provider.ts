/*
 * Where a closed month's lines go to be charged. An adapter sends one line's usage to the
 * provider as one event for the organisation's customer, keyed by `idempotencyKey`: sent again
 * with the same key (a retry after a timeout, a crash, a push run twice), the provider must answer
 * as the first time and bill once. The push (`billing-push.service.ts`) records each line's state
 * around the call, so that it knows what to send again.
 */

/** One line's usage, as an adapter sends it. */
export interface UsageEvent {
  /** Stable for the line: the provider's event identifier and the request's idempotency key. */
  idempotencyKey: string;
  /** The organisation's customer at the provider. */
  customerId: string;
  /** The line's amount, in minor units of `currency`. */
  amountMinorUnits: number;
  currency: string;
  calls: number;
  /** When the usage happened (the month's last second, or now for the current month). */
  at: Date;
}

export interface PaymentProvider {
  /** Recorded on each line the provider handled (`stripe`, `none`). */
  name: string;
  /** Whether a line needs a customer id at the provider before it can be sent. */
  needsCustomer: boolean;
  /** Sends the event; answers the provider's reference for it. Throws when the provider did not take it. */
  sendUsage(event: UsageEvent): Promise<{ reference: string | null }>;
}

/** The default when no provider is configured: lines are marked sent, to nobody; the console says so. */
export const recordOnlyProvider: PaymentProvider = {
  name: 'none',
  needsCustomer: false,
  async sendUsage() {
    return { reference: null };
  },
};
