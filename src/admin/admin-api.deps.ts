import type { BreakerState } from '../analytics/gateway-metrics.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { RevokeGrant } from '../consent/consent.service.ts';
import type { PaymentProvider } from '../billing/payment-provider.ts';
import type { CatalogueContext } from '../gateway/catalogue/catalogue-transaction.ts';
import type { Logger } from '../observability/logger.ts';

/** What the admin API is built with; the console role wires it from the server context. */
export interface AdminApiDependencies {
  /** Store, bus and clock for the services; every change is an operator's (`actor: 'ops'`). */
  catalogue: CatalogueContext;
  /** The bearer token operators present (`ADMIN_TOKEN`). */
  adminToken: string;
  /** Where problem types are documented (`<issuer>/docs/problems/`). */
  problemTypeBase: string;
  logger: Logger;
  /** The circuit breakers of the gateway this process runs (its own view); absent when it runs none. */
  breakers?: () => ReadonlyMap<string, BreakerState>;
  /** Where every change made through the API is recorded, with its caller, before and after. */
  audit: AuditLog;
  /** Where closed billing months are pushed (Stripe, or no provider: record only). */
  paymentProvider: PaymentProvider;
  /** Ends a grant and its tokens inside the caller's transaction, when operations revoke a consent or remove a partner. */
  revokeGrant: RevokeGrant;
}
