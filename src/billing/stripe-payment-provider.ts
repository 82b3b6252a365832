import type Stripe from 'stripe';

import type { PaymentProvider, UsageEvent } from './payment-provider.ts';

/*
 * The Stripe adapter: each line is one Billing Meter event (`POST /v1/billing/meter_events`) for
 * the organisation's customer, its `value` the line's amount in minor units (the meter's price
 * is one minor unit of the plan's currency per unit, so Stripe charges what we priced). Twice
 * idempotent: the event's `identifier` is the line's id, which Stripe keeps unique, and the
 * request's `Idempotency-Key` is the same, so a retried request gets the first answer. The SDK's
 * own retries resend the same key.
 */

export interface StripeSettings {
  apiKey: string;
  /** The meter's `event_name`. */
  meterEventName: string;
  /** Another API base than Stripe's (a stand-in in tests): `http://127.0.0.1:12111`. */
  apiBase?: string | undefined;
  /** Milliseconds one request may take; the SDK's default is 80 s. */
  timeoutMs?: number;
  /** How many times the SDK itself retries a failed request (with the same idempotency key). */
  maxNetworkRetries?: number;
}

/** A Stripe adapter with `settings`. */
export function stripePaymentProvider(settings: StripeSettings): PaymentProvider {
  const base = settings.apiBase ? new URL(settings.apiBase) : undefined;
  // The SDK is loaded on the first push, not with the server: it is over 200 modules, which every
  // process that starts the server would load (about a tenth of its loading time), and most never bill.
  let client: Promise<Stripe> | undefined;
  const stripe = () => (client ??= import('stripe').then(({ default: StripeClient }) => new StripeClient(settings.apiKey, {
    ...(base ? { host: base.hostname, port: Number(base.port) || (base.protocol === 'http:' ? 80 : 443), protocol: base.protocol === 'http:' ? 'http' : 'https' } : {}),
    timeout: settings.timeoutMs ?? 20_000,
    maxNetworkRetries: settings.maxNetworkRetries ?? 2,
    appInfo: { name: 'Portcullis' },
  })));
  return {
    name: 'stripe',
    needsCustomer: true,
    async sendUsage(event: UsageEvent) {
      const sent = await (await stripe()).billing.meterEvents.create({
        event_name: settings.meterEventName,
        identifier: event.idempotencyKey,
        timestamp: Math.floor(event.at.getTime() / 1000),
        payload: { stripe_customer_id: event.customerId, value: String(event.amountMinorUnits), currency: event.currency.toLowerCase(), calls: String(event.calls) },
      }, { idempotencyKey: event.idempotencyKey });
      return { reference: sent.identifier };
    },
  };
}
