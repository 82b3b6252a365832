import type { Knex } from 'knex';

import type { Logger } from '../observability/logger.ts';
import type { AccountPagesDependencies } from './accounts/account-pages.deps.ts';
import type { OpenBankingOnboarding } from './openbanking/open-banking-pages.deps.ts';
import type { PortalApisCache } from './portal-apis-cache.ts';

/** What the developer portal's pages need. */
export interface PortalDependencies {
  db: Knex;
  /** The catalogue as the portal shows it, kept in memory. */
  catalog: PortalApisCache;
  /** Where partners call: Open Banking (FAPI) APIs on the mutual-TLS listener, every other API on the gateway's public one. */
  baseUrls: { mtls: string; gateway: string };
  logger: Logger;
  /** The issuer (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** Where partner organisations sign up at the sandbox directory, when there is one. */
  onboardingUrl: string | undefined;
  /** The sandbox directory and registration endpoint partners onboard with from an application's page, when there is a directory. */
  openBanking: OpenBankingOnboarding | undefined;
  /** Developer accounts, where mail can be sent (the development outbox for now): absent, the account pages are too. */
  accounts: AccountPagesDependencies | undefined;
  /** Whether this installation serves the ops console (`/console`, the console role), for the home page's link. */
  consoleOffered: boolean;
  /** Where problem types live (`<issuer>/docs/problems/`): the portal serves those pages. */
  problemTypeBase: string;
  /** The listeners' TLS certificate: trusted, beside the system's CAs, when the portal calls the gateway for "try it". */
  serverCertificatePem: string;
}
