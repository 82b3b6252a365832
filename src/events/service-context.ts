import type { Knex } from 'knex';

import type { Clock } from '../shared/clock.ts';
import type { EventBus } from './event-bus.ts';

/**
 * What a service that changes things works with, given once when the app is built: the store, the
 * bus its changes are announced on once committed, and the clock it decides time by.
 */
export interface ServiceContext {
  db: Knex;
  events: EventBus;
  clock: Clock;
}
