import type { Knex } from 'knex';

import type { Clock } from '../../../src/shared/clock.ts';
import type { SandboxDirectory } from '../sandbox-directory.ts';

/** What the onboarding services work with. */
export interface OnboardingContext {
  db: Knex;
  clock: Clock;
  directory: SandboxDirectory;
  /** Seals the private keys the directory keeps (`software-keys-seal.ts`). */
  sealKey: Buffer;
  /** Where the partner's software talks to the bank: written into its bundle. */
  issuer: string;
  mtlsBaseUrl: string;
}
