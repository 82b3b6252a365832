import type Provider from 'oidc-provider';

import type { Authenticator } from '../../auth/sign-in/authenticator.ts';
import type { LoginThrottle } from '../../auth/sign-in/login-throttle.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ConsentContext } from '../consent-context.ts';
import type { RevokeGrant } from '../consent.service.ts';
import type { CustomerAccounts } from '../customer-accounts.ts';

/** What the Connected apps dashboard needs from the rest of the product, given once when the app is built. */
export interface DashboardDependencies {
  consents: ConsentContext;
  provider: Provider;
  /** Checks the sign-in form: the same customers, and the same check, as the authorization login. */
  authenticator: Authenticator;
  /** Counts sign-in attempts, shared with the authorization login: guesses anywhere count together. */
  loginThrottle: LoginThrottle;
  accounts: CustomerAccounts;
  /** Ends a grant with all its tokens, when the customer stops sharing. */
  revokeGrant: RevokeGrant;
  /** Seals the session cookie (HMAC-SHA256); a key of its own, never reused for anything else. */
  sessionSecret: Buffer;
  /** Signs the CSRF tokens of the dashboard's forms. */
  csrfSecret: Buffer;
  logger: Logger;
}
