import type { SignInDependencies } from './sign-in.service.ts';

/** What the account pages need: the accounts' services, and the form and outbox settings. */
export interface AccountPagesDependencies extends SignInDependencies {
  csrfSecret: Buffer;
  /** The development outbox is where mail goes: the pages link to it. */
  outbox: boolean;
}
