import type { BreakerState } from '../../analytics/gateway-metrics.ts';
import type { AuditLog } from '../../audit/audit-log.ts';
import type { PaymentProvider } from '../../billing/payment-provider.ts';
import type { RevokeGrant } from '../../consent/consent.service.ts';
import type { Logger } from '../../observability/logger.ts';
import type { OperatorSignInDependencies } from '../operators/operator-sign-in.service.ts';
import type { ConsoleSso } from './sign-in/sso.pages.ts';

/** What the console's pages need: the operators' services, and the forms' CSRF secret. */
export interface ConsoleDependencies extends OperatorSignInDependencies {
  csrfSecret: Buffer;
  logger: Logger;
  /** The circuit breakers of the gateway this process runs (its own view); absent when it runs none. */
  breakers?: () => ReadonlyMap<string, BreakerState>;
  /** Single sign-on with the organisation's OpenID Connect provider; absent when not configured. */
  sso?: ConsoleSso;
  /** Where the operators' changes are recorded, as the admin API records its own. */
  audit: AuditLog;
  /** Where the billing section pushes closed months (Stripe, or no provider: record only). */
  paymentProvider: PaymentProvider;
  /** Ends a grant and its tokens inside the caller's transaction (a consent revoked, a partner removed). */
  revokeGrant: RevokeGrant;
}
