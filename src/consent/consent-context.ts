import type { Knex } from 'knex';

import type { EventBus } from '../events/event-bus.ts';
import type { Clock } from '../shared/clock.ts';

/**
 * What consent services work with, given once when the app is built: the store, the bus their
 * changes are announced on once committed, and the clock they decide expiry and freshness by.
 */
export interface ConsentContext {
  db: Knex;
  events: EventBus;
  clock: Clock;
}
