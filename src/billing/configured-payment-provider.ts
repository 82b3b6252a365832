import type { Config } from '../config/config.ts';
import { recordOnlyProvider, type PaymentProvider } from './payment-provider.ts';
import { stripePaymentProvider } from './stripe-payment-provider.ts';

/** The payment provider the configuration names: Stripe when `STRIPE_API_KEY` is set, else none (record only). */
export function configuredPaymentProvider(billing: Config['billing']): PaymentProvider {
  if (!billing.stripe) return recordOnlyProvider;
  return stripePaymentProvider({ apiKey: billing.stripe.apiKey, meterEventName: billing.stripe.meterEventName, apiBase: billing.stripe.apiBase });
}
