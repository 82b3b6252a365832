import type { EventBus } from '../../events/event-bus.ts';
import type { SignInDependencies } from './sign-in.service.ts';

/** What the account pages need: the accounts' services, and the form and outbox settings. */
export interface AccountPagesDependencies extends SignInDependencies {
  /** Organisations' and applications' changes are announced on it. */
  events: EventBus;
  csrfSecret: Buffer;
  /** The development outbox is where mail goes: the pages link to it. */
  outbox: boolean;
}
