import type { Context } from 'koa';
import type Provider from 'oidc-provider';

import type { Logger } from '../../observability/logger.ts';
import type { ConsentContext } from '../consent-context.ts';
import type { RevokeGrant } from '../consent.service.ts';
import type { CustomerAccounts } from '../customer-accounts.ts';
import type { ResponseSigner } from '../jws-signature/sign-response-body.ts';

/** What the consent API needs from the rest of the product, given once when the app is built. */
export interface ConsentApiDependencies {
  consents: ConsentContext;
  provider: Provider;
  /** Base URL of the partner listener, for `Links.Self` and DPoP `htu`. */
  baseUrl: string;
  /** The resource indicator Open Banking tokens are issued for. */
  audience: string;
  /** The TLS client certificate of the request (PEM), wherever it arrived. */
  clientCertificate: (ctx: Context) => string | undefined;
  accounts: CustomerAccounts;
  /** Ends a grant with all its tokens, when the partner withdraws its consent. */
  revokeGrant: RevokeGrant;
  logger: Logger;
  messageSigning: {
    enabled: boolean;
    trustAnchor: string;
    /** Signs payment consent responses; present when signing is enabled. */
    responseSigner?: ResponseSigner;
  };
}
