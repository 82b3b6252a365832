import type { ServiceContext } from '../events/service-context.ts';

/** What consent services work with: the store, the bus their changes are announced on, the clock. */
export type ConsentContext = ServiceContext;
