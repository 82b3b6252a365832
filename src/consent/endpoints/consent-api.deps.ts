import type { ObResourceDependencies } from '../../openbanking/http/ob-resource.deps.ts';
import type { ConsentContext } from '../consent-context.ts';
import type { RevokeGrant } from '../consent.service.ts';
import type { CustomerAccounts } from '../customer-accounts.ts';

/** What the consent API needs from the rest of the product, given once when the app is built. */
export interface ConsentApiDependencies extends ObResourceDependencies {
  consents: ConsentContext;
  /** Base URL of the partner listener, for `Links.Self`. */
  baseUrl: string;
  accounts: CustomerAccounts;
  /** Ends a grant with all its tokens, when the partner withdraws its consent. */
  revokeGrant: RevokeGrant;
}
