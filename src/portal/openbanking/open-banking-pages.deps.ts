import type { AccountPagesDependencies } from '../accounts/account-pages.deps.ts';
import type { DirectoryOnboarding } from './directory-onboarding.ts';
import type { RegistrationEndpoint } from './register-software.ts';

/** What the portal onboards partners with, when the bank integration has a sandbox directory. */
export interface OpenBankingOnboarding {
  directory: DirectoryOnboarding;
  registration: RegistrationEndpoint;
  /** Seals the registration access tokens the portal keeps (`registration-token-seal.ts`). */
  sealKey: Buffer;
}

/** What the Open Banking onboarding pages need beyond the accounts'. */
export interface OpenBankingPagesDependencies extends AccountPagesDependencies {
  /** Absent when the bank integration has no sandbox directory: the page says so. */
  openBanking: OpenBankingOnboarding | undefined;
}
